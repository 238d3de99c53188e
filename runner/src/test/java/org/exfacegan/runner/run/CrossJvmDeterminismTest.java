package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.exfacegan.runner.pipeline.linalg.Gemm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same config gives the same files whatever the JVM: with or without the Vector API kernel,
 * on one CPU or many, in this JVM or a child one. Checked for every boundary fitter, since each
 * does its own arithmetic.
 */
class CrossJvmDeterminismTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"least-squares", "svm", "paper"})
    void sameFilesAcrossKernelsAndProcessorCounts(String fitter) throws Exception {
        assertTrue(Gemm.vectorized(), "this JVM runs the Vector API kernel (surefire argLine)");
        String extra = ", \"identities\": 24, \"fitter\": {\"type\": \"" + fitter + "\"}";
        Path here = config("here", extra);
        TinyRuns.run(here);
        Map<String, String> want = TinyRuns.digest(dir.resolve("here"));
        Map<String, List<String>> variants = new java.util.LinkedHashMap<>();
        variants.put("scalar", List.of("-Dexfacegan.gemm.scalar=true"));
        variants.put("one-cpu", List.of("-XX:ActiveProcessorCount=1"));
        variants.put("vector-two-cpus", List.of("--add-modules=jdk.incubator.vector", "-XX:ActiveProcessorCount=2"));
        for (var v : variants.entrySet()) {
            child(config(v.getKey(), extra), v.getValue());
            assertEquals(want, TinyRuns.digest(dir.resolve(v.getKey())), fitter + " fitter, JVM flags " + v.getValue());
        }
        System.out.printf("determinism: %s fitter, %d files identical in-process (Vector API) and in child JVMs %s%n",
                fitter, want.size(), variants);
    }

    private Path config(String output, String extra) throws IOException {
        Path cfg = TinyRuns.config(dir, output, "", 16);
        return Files.writeString(cfg, Files.readString(cfg).replace(", \"identities\": 6", extra));
    }

    private void child(Path cfg, List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.exfacegan.runner.Main", "-q", "run",
                cfg.toString(), "--plugins", dir.resolve("none").toString()));
        Path err = dir.resolve("child-err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child run did not finish");
        assertEquals(0, p.exitValue(), Files.readString(err));
    }
}
