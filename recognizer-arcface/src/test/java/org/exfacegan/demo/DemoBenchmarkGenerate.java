package org.exfacegan.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates models/demo/benchmarks/demo.bin (docs/evaluation.md). Runs only when asked:
 * {@code mvn -q -B -o -pl recognizer-arcface -am test -Dtest=DemoBenchmarkGenerate -Dsurefire.failIfNoSpecifiedTests=false -Dexfacegan.benchmark.out=models/demo/benchmarks}
 * (a relative path is taken from the repository root).
 */
class DemoBenchmarkGenerate {
    @Test
    @EnabledIfSystemProperty(named = "exfacegan.benchmark.out", matches = ".+")
    void generate() throws IOException {
        Path out = DemoModels.repositoryRoot().resolve(System.getProperty("exfacegan.benchmark.out"));
        DemoBenchmark.write(DefaultModelHost.fromServiceLoader(), out);
        System.out.println("demo benchmark written: " + out.resolve(DemoBenchmark.FILE) + ", "
                + Files.size(out.resolve(DemoBenchmark.FILE)) + " bytes, " + DemoBenchmark.PAIRS + " pairs");
    }
}
