package org.exfacegan.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.exfacegan.runner.bench.FitBenchmark;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/**
 * The benchmark command (BENCHMARKS.md): boundary fitting, runtime overhead, end to end, and the
 * batch x threads sweep, RecordIO writing, the sampling study, training DJL vs PyTorch, each printed
 * as ratios against a baseline measured in the same run, then every target met or missed. Args: the
 * sections to run (fit runtime e2e sweep recordio sampling train; default all).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        List<String> sections = args.length == 0 ? List.of("fit", "runtime", "e2e", "sweep", "recordio", "sampling", "train")
                : Arrays.asList(args);
        // everything printed also goes to bench/target/bench-results.txt (the figures BENCHMARKS.md quotes)
        Path results = Bench.root().resolve("bench/target/bench-results.txt");
        Files.createDirectories(results.getParent());
        OutputStream file = Files.newOutputStream(results);
        PrintStream console = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                console.write(b);
                file.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                console.write(b, off, len);
                file.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                console.flush();
                file.flush();
            }
        }, true, StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        machine();
        if (sections.contains("fit")) {
            fit();
        }
        if (sections.contains("runtime")) {
            RuntimeOverhead.run(16, 121, 0.05);
        }
        if (sections.contains("e2e")) {
            EndToEnd.run(2000, 4, new int[] {10, 100, 1000});
        }
        if (sections.contains("sweep")) {
            Sweep.run(64, 0.15);
        }
        if (sections.contains("recordio")) {
            RecordIoBench.run(10_000, 100_000);
        }
        if (sections.contains("sampling")) {
            SamplingStudy.run();
        }
        if (sections.contains("train")) {
            TrainingThroughput.run(5, 3, 5);
        }
        System.out.printf("%n== Targets ==%n");
        for (Bench.Target t : Bench.TARGETS) {
            System.out.printf("  %-6s %-92s %-28s (target %s)%n", t.met() ? "MET" : "MISSED", t.what(), t.measured(), t.bound());
        }
        System.out.printf("%nbenchmark wall time %.1f s; this output is in %s%n", (System.nanoTime() - t0) / 1e9, results);
        System.out.flush();
        file.close();
    }

    private static void machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        } catch (java.io.IOException e) {
            // not Linux: leave it unknown
        }
        String ort = OrtEnvironment.class.getPackage().getImplementationVersion();
        System.out.printf("exfacegan benchmarks, %s%n", Instant.now());
        System.out.printf("machine: %s, %d CPUs visible to the JVM, %.1f GB RAM, load average %s%n", cpu,
                Runtime.getRuntime().availableProcessors(), Bench.memTotalGb(), Bench.loadAverage());
        System.out.printf("JVM %s (%s), max heap %d MB, Vector API GEMM %s; ONNX Runtime %s; python3 %s%n",
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20,
                Gemm.vectorized(), ort, Bench.sh("python3", "-c", "import numpy; print('numpy', numpy.__version__)"));
    }

    private static void fit() throws Exception {
        System.out.printf("%n== 1. Boundary fitting at paper size (3,498 train x 512 dims, 1,500 held out; FitBenchmark) ==%n");
        FitBenchmark.Result r = FitBenchmark.run(50, 100, 10);
        double vsNumpy = r.ls5k() / r.numpyBest();
        double vsNumpyHeld = r.ls5kHeldOnly() / r.numpyBest();
        Bench.target("1 all 5,000 least-squares boundaries (with train accuracy, as the pipeline)", String.format("%.3f s", r.ls5k()),
                "<= 2 s", r.ls5k() <= 2);
        Bench.target("1 least-squares 5,000 / NumPy-OpenBLAS best (float32 or float64), same work (held-out only)",
                String.format("%.2fx (with train acc %.2fx)", vsNumpyHeld, vsNumpy), "<= 5x", vsNumpyHeld <= 5);
        double perRef = r.ls5k() / 5000;
        Bench.target("1 LIBLINEAR (eps 1e-4) per reference / least-squares per reference at 5,000 refs",
                String.format("%.0fx (%.0fx vs eps 0.01; %.0fx at %d refs)", r.liblinearPerRef() / perRef,
                        r.liblinearDefaultEpsPerRef() / perRef, r.liblinearPerRef() / r.lsPerRefSmall(), r.smallRefs()),
                ">= 500x", r.liblinearPerRef() / perRef >= 500);
        Bench.target("1 held-out accuracy, least-squares - LIBLINEAR, mean over " + r.liblinearRefs() + " refs",
                String.format("%+.2f pts (max |diff| %.2f)", r.leastSquares().accDiffMean(), r.leastSquares().accDiffAbsMax()),
                "within 1 point", Math.abs(r.leastSquares().accDiffMean()) <= 1);
        Bench.target("1 held-out accuracy, svm - LIBLINEAR, mean over " + r.liblinearRefs() + " refs",
                String.format("%+.2f pts (max |diff| %.2f)", r.svm().accDiffMean(), r.svm().accDiffAbsMax()),
                "within 1 point", Math.abs(r.svm().accDiffMean()) <= 1);
        System.out.printf("  normals' cosine to LIBLINEAR: least-squares mean %.4f (min %.4f), svm mean %.4f (min %.4f)%n",
                r.leastSquares().cosMean(), r.leastSquares().cosMin(), r.svm().cosMean(), r.svm().cosMin());
    }
}
