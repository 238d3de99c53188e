package org.exfacegan.runner.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link FitBenchmark} at paper size when {@code -Dexfacegan.bench=true}; times are printed,
 * never asserted. Asserted: the paper-size agreement targets with LIBLINEAR.
 */
@EnabledIfSystemProperty(named = "exfacegan.bench", matches = "true")
class FitBenchmarkTest {
    @Test
    void paperSizeBenchmark() throws Exception {
        FitBenchmark.Summary s = FitBenchmark.run(new String[] {System.getProperty("exfacegan.bench.liblinearRefs", "100"), "100"});
        assertTrue(s.svmMinCosine() >= 0.99, "svm vs LIBLINEAR normals' cosine " + s.svmMinCosine());
        assertTrue(Math.abs(s.svmMeanDiffPoints()) <= 0.5, "svm vs LIBLINEAR held-out accuracy " + s.svmMeanDiffPoints());
        assertTrue(Math.abs(s.lsMeanDiffPoints()) <= 1, "least-squares vs LIBLINEAR held-out accuracy " + s.lsMeanDiffPoints());
    }
}
