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
        FitBenchmark.Result r = FitBenchmark.run(Integer.parseInt(System.getProperty("exfacegan.bench.liblinearRefs", "100")), 100, 10);
        assertTrue(r.svm().cosMin() >= 0.99, "svm vs LIBLINEAR normals' cosine " + r.svm().cosMin());
        assertTrue(Math.abs(r.svm().accDiffMean()) <= 0.5, "svm vs LIBLINEAR held-out accuracy " + r.svm().accDiffMean());
        assertTrue(Math.abs(r.leastSquares().accDiffMean()) <= 1, "least-squares vs LIBLINEAR held-out accuracy " + r.leastSquares().accDiffMean());
    }
}
