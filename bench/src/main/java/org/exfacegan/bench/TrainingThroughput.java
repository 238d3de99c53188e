package org.exfacegan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.io.Json;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.net.Networks;

/**
 * Section 6: training images/s of DJL (our trainer's step, {@link TrainingWorker}) against PyTorch
 * (torch_training.py: the same TorchScript file through torch.jit.load, the same loss and update),
 * same batch, threads and CPU, each in a fresh process, alternating, several rounds. Needs Debian's
 * python3-torch; without it the section says so and the target is not met.
 */
final class TrainingThroughput {
    private TrainingThroughput() {}

    record Case(String label, TrainingConfig.Network network, int batch, int threads, int classes) {}

    record Run(double imagesPerSecond, double imagesPerCpuSecond, double peakMb, double[] losses, String version) {}

    static final List<Case> CASES = List.of(
            new Case("iresnet18 x0.125, stem stride 2, emb 128 (the demo net)",
                    new TrainingConfig.Network("iresnet18", 0.125, 128, 0.0, 2), 64, 1, 100),
            new Case("iresnet18 x0.125, stem stride 2, emb 128 (the demo net)",
                    new TrainingConfig.Network("iresnet18", 0.125, 128, 0.0, 2), 64, 2, 100),
            new Case("iresnet50 x0.25, emb 512", new TrainingConfig.Network("iresnet50", 0.25, 512, 0.0, 1), 32, 2, 1000),
            new Case("mobilefacenet x0.5, emb 512", new TrainingConfig.Network("mobilefacenet", 0.5, 512, 0.0, 1), 32, 2, 1000));

    static void run(int rounds, int warmup, int steps) throws Exception {
        System.out.printf("%n== 6. Training images/s, DJL vs PyTorch: same TorchScript network, CosFace, momentum SGD, same batch "
                + "and threads (%d rounds of %d timed steps after %d warm-up, fresh process each, alternating) ==%n", rounds, steps,
                warmup);
        String python = torchPython();
        if (python == null) {
            System.out.println("  skipped: no python3 with torch (Debian: apt-get install -y python3-torch)");
            Bench.target("6 training images/s, DJL / PyTorch (same network, batch, threads)", "not run (no python3-torch)",
                    ">= 0.8", false);
            return;
        }
        Path dir = Files.createTempDirectory("exfacegan-train-bench");
        Path script = dir.resolve("torch_training.py");
        try (InputStream in = TrainingThroughput.class.getResourceAsStream("torch_training.py")) {
            Files.write(script, in.readAllBytes());
        }
        System.out.printf("  PyTorch: %s (%s); DJL: %s%n", Bench.sh(python, "-c", "import torch; print(torch.__version__)"), python,
                new org.exfacegan.runtime.djl.DjlPytorchProvider().version());
        System.out.printf("  %-58s %5s %7s %10s %13s %6s %9s %11s %11s %9s%n", "network", "batch", "threads", "DJL img/s",
                "PyTorch img/s", "ratio", "CPU-s ratio", "DJL peak MB", "PyT peak MB", "loss diff");
        List<Double> allRatios = new ArrayList<>();
        List<Double> allCpuRatios = new ArrayList<>();
        for (Case c : CASES) {
            Path model = dir.resolve("net.pt");
            Files.write(model, Networks.archive(Networks.build(c.network(), 1), c.network().embeddingSize()));
            float[] x = new float[c.batch() * 3 * 112 * 112];
            SplittableRandom rnd = new SplittableRandom(5);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextDouble(-1, 1);
            }
            long[] y = new long[c.batch()];
            for (int i = 0; i < y.length; i++) {
                y[i] = i % c.classes();
            }
            Path input = dir.resolve("input.npy");
            Path labels = dir.resolve("labels.npy");
            Path head = dir.resolve("head.npy");
            float[] w = new float[c.classes() * c.network().embeddingSize()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rnd.nextGaussian() * 0.01);
            }
            Files.write(head, Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {c.classes(), c.network().embeddingSize()}, w)));
            Files.write(input, Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {c.batch(), 3, 112, 112}, x)));
            Files.write(labels, Npy.toBytes(new Npy.Array(Npy.DType.INT64, new long[] {c.batch()}, y)));
            String[] args = {model.toString(), input.toString(), labels.toString(), head.toString(),
                Integer.toString(c.threads()), Integer.toString(warmup), Integer.toString(steps)};
            double[] djl = new double[rounds];
            double[] torch = new double[rounds];
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            double djlPeak = 0;
            double torchPeak = 0;
            double lossDiff = 0;
            for (int r = 0; r < rounds; r++) {
                Run a;
                Run b;
                if (r % 2 == 0) {
                    a = djl(args);
                    b = python(python, script, args);
                } else {
                    b = python(python, script, args);
                    a = djl(args);
                }
                djl[r] = a.imagesPerSecond();
                torch[r] = b.imagesPerSecond();
                ratio[r] = djl[r] / torch[r];
                cpuRatio[r] = a.imagesPerCpuSecond() / b.imagesPerCpuSecond();
                djlPeak = Math.max(djlPeak, a.peakMb());
                torchPeak = Math.max(torchPeak, b.peakMb());
                for (int i = 0; i < Math.min(a.losses().length, b.losses().length); i++) {
                    lossDiff = Math.max(lossDiff, Math.abs(a.losses()[i] - b.losses()[i]) / Math.abs(b.losses()[0]));
                }
            }
            double median = Bench.median(ratio);
            allRatios.add(median);
            allCpuRatios.add(Bench.median(cpuRatio));
            System.out.printf("  %-58s %5d %7d %10.1f %13.1f %6.3f %11.3f %11.0f %11.0f %9.1e%n", c.label(), c.batch(), c.threads(),
                    Bench.median(djl), Bench.median(torch), median, Bench.median(cpuRatio), djlPeak, torchPeak, lossDiff);
        }
        double worst = allRatios.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double worstCpu = allCpuRatios.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        Bench.target("6 training images/s, DJL / PyTorch (same network, batch, threads), worst of " + CASES.size() + " cases",
                String.format("%.3f wall, %.3f per CPU-s", worst, worstCpu), ">= 0.8", worst >= 0.8);
        System.out.println("  ratio: median over rounds of DJL / PyTorch in the same round (wall clock); CPU-s ratio: the same with "
                + "images per second of process CPU time (all threads), which other processes disturb far less; loss diff: "
                + "largest difference of the "
                + "per-step losses over the " + (warmup + steps) + " steps, relative to the first step's loss (same initial weights, "
                + "class weights, batch and update; the libtorch versions differ)");
        org.exfacegan.runner.run.RunFolder.deleteTree(dir);
    }

    private static String torchPython() {
        for (String p : new String[] {"/usr/bin/python3", "python3"}) {
            if (Bench.sh(p, "-c", "import torch; print('ok')").endsWith("ok")) {
                return p;
            }
        }
        return null;
    }

    private static Run djl(String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), TrainingWorker.class.getName()));
        cmd.addAll(List.of(args));
        return parse(cmd);
    }

    private static Run python(String python, Path script, String[] args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(List.of(args));
        return parse(cmd);
    }

    private static Run parse(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IOException("benchmark worker failed (" + String.join(" ", cmd.subList(0, 2)) + "): " + out);
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        JsonNode j = Json.MAPPER.readTree(last);
        double[] losses = new double[j.get("losses").size()];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = j.get("losses").get(i).asDouble();
        }
        return new Run(j.get("images_per_second").asDouble(), j.get("images_per_cpu_second").asDouble(),
                j.get("peak_rss_mb").asDouble(), losses, j.get("version").asText());
    }
}
