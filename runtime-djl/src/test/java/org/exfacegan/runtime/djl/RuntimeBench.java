package org.exfacegan.runtime.djl;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.OnnxWriter;
import org.exfacegan.runtime.DefaultModelHost;
import org.exfacegan.runtime.TinyNet;

/**
 * Not a test: prints RSS before/after long runs through both runtimes, and the per-batch time of
 * our layer (DefaultModelHost + BatchingSession) against calling OrtSession directly, in one process.
 *
 * <pre>
 * mvn -q -B -o -pl runtime-djl -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -Xms512m -Xmx512m -XX:+AlwaysPreTouch \
 *     -cp runtime-djl/target/test-classes:runtime-djl/target/classes:$(cat /tmp/cp.txt) org.exfacegan.runtime.djl.RuntimeBench
 * </pre>
 * Arguments (optional): ORT batches per pass (10000), DJL batches per pass (3000), timing blocks (60).
 */
public final class RuntimeBench {
    private static final int BATCH = 16;

    private RuntimeBench() {}

    public static void main(String[] args) throws Exception {
        int ortBatches = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int djlBatches = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path dir = Files.createTempDirectory("exfacegan-bench");
        DefaultModelHost host = DefaultModelHost.fromServiceLoader();
        Path tiny = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        Path wide = wide(dir.resolve("wide.onnx"), 512);

        leak("onnxruntime tiny", host, tiny, ortBatches);
        leak("djl-pytorch tiny", host, pt(), djlBatches);
        overhead(host, tiny, "tiny [16,4]->[16,3]", TinyNet.IN, 2_000, rounds);
        overhead(host, wide, "wide [16,512]x[512,512] tanh", 512, 200, rounds);
    }

    /**
     * Runs {@code batches} batches four times (opening and closing a session every 1000) and prints
     * RSS: the first pass warms up (JIT, allocator arenas), the next three show whether memory keeps growing.
     * Run with a fixed, pre-touched heap (-Xms=-Xmx, -XX:+AlwaysPreTouch) so that Java heap growth
     * does not show up as RSS growth.
     */
    private static void leak(String label, DefaultModelHost host, Path model, int batches) {
        Map<String, FloatTensor> in = Map.of("x", FloatTensor.of(TinyNet.inputs(BATCH, 1), BATCH, TinyNet.IN));
        for (String pass : List.of("warm-up", "pass 1", "pass 2", "pass 3")) {
            System.gc();
            long before = rssKb();
            StringBuilder trace = new StringBuilder();
            double check = 0;
            long t0 = System.nanoTime();
            for (int done = 0; done < batches;) {
                try (ModelSession s = host.open(model, ModelOptions.DEFAULT)) {
                    for (int i = 0; i < 1000 && done < batches; i++, done++) {
                        check += s.run(in).get("y").data()[0];
                        if ((done + 1) % Math.max(1, batches / 5) == 0) {
                            trace.append(' ').append(rssKb());
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.gc();
            long after = rssKb();
            System.out.printf("%s %s: %d batches of %d in %.2f s, VmRSS before %d kB, after %d kB (%+d kB); "
                    + "during:%s kB [check %.3f]%n", label, pass, batches, BATCH, seconds, before, after, after - before,
                    trace, check);
        }
    }

    /**
     * Per-batch microseconds of OrtSession direct vs our layer: {@code rounds} blocks of
     * {@code calls} batches each, the two alternating so that load from other processes hits both;
     * prints the median and the minimum block (the least disturbed) of each.
     */
    private static void overhead(DefaultModelHost host, Path model, String label, int width, int calls, int rounds)
            throws Exception {
        float[] x = new float[BATCH * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        long[] shape = {BATCH, width};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double[] direct = new double[rounds];
        double[] ours = new double[rounds];
        double check = 0;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                OrtSession raw = env.createSession(model.toString(), so);
                ModelSession s = host.open(model, ModelOptions.DEFAULT.withBatchSize(BATCH))) {
            for (int r = -3; r < rounds; r++) { // negative rounds warm up both
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                            OrtSession.Result res = raw.run(Map.of("x", t))) {
                        check += ((OnnxTensor) res.get(0)).getFloatBuffer().array()[0];
                    }
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    check += s.run(Map.of("x", new FloatTensor(shape, x))).get("y").data()[0];
                }
                long t2 = System.nanoTime();
                if (r >= 0) {
                    direct[r] = (t1 - t0) / 1e3 / calls;
                    ours[r] = (t2 - t1) / 1e3 / calls;
                }
            }
        }
        double dm = quantile(direct, 0.5);
        double om = quantile(ours, 0.5);
        double d0 = quantile(direct, 0);
        double o0 = quantile(ours, 0);
        System.out.printf("overhead %s, %d blocks of %d batches: OrtSession direct median %.2f / min %.2f us/batch, "
                + "DefaultModelHost+BatchingSession median %.2f / min %.2f us/batch; ratio of medians %.3f, "
                + "of minima %.3f [check %.1f]%n", label, rounds, calls, dm, d0, om, o0, om / dm, o0 / d0, check);
    }

    private static Path wide(Path file, int n) {
        float[] w = new float[n * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (Math.cos(i * 0.7) / Math.sqrt(n));
        }
        OnnxWriter g = new OnnxWriter("wide");
        g.input("x", -1, n);
        g.initializer("W", w, n, n);
        g.node("MatMul", List.of("x", "W"), List.of("h"));
        g.node("Tanh", List.of("h"), List.of("y"));
        g.output("y", -1, n);
        return g.write(file);
    }

    private static Path pt() throws URISyntaxException {
        return Path.of(RuntimeBench.class.getResource("/fixtures/tinynet.pt").toURI());
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }

    /** VmRSS of this process in kB, from /proc/self/status. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
