package org.exfacegan.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.gan.Images;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.backbone.stylegan2.StyleGan2Provider;
import org.exfacegan.backbone.stylegan2.StyleGan2Settings;
import org.exfacegan.recognizer.arcface.ArcFaceProvider;
import org.exfacegan.recognizer.arcface.ArcFaceSettings;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;

/**
 * Images/s through plugin + runtime layer against a bare OrtSession on the same graphs and batch.
 * The variants run in alternating short blocks (order rotated each round) so that load from other
 * processes hits all of them; the ratio is the median over rounds of the per-round ratio.
 */
final class RuntimeOverhead {
    private RuntimeOverhead() {}

    interface Step {
        /** Runs one batch; returns something derived from the output so that nothing is optimised away. */
        double run() throws Exception;
    }

    /**
     * Per variant: median images/s, median over rounds of the ratio to variant 0, and the ratio of the
     * best rounds (other processes only ever slow a block down, so the best block is the least disturbed).
     */
    record Result(double[] imagesPerSecond, double[] ratioToFirst, double[] bestRatio, double[] cpuRatio) {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    static void run(int batch, int rounds, double blockSeconds) throws Exception {
        System.out.printf("%n== 2. Runtime overhead: images/s, plugin + runtime layer vs bare OrtSession (batch %d, ORT default threads, "
                + "%d alternating rounds of ~%.2f s per variant; ratio = median over rounds of variant/bare; best-block: best round of "
                + "each; per-CPU-second: images per second of process CPU time, all threads) ==%n", batch, rounds, blockSeconds);
        DefaultModelHost host = DefaultModelHost.fromServiceLoader();
        ModelOptions options = ModelOptions.DEFAULT.withBatchSize(batch);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path descriptor = Bench.demo("stylegan2/model.json");
        Path face = Bench.demo("recognizer/demo_face.onnx");
        try (Backbone gan = new StyleGan2Provider().open(new PluginContext(descriptor, StyleGan2Settings.DEFAULTS, host, options,
                        PluginJson.READER));
                Recognizer rec = new ArcFaceProvider().open(new PluginContext(face, ArcFaceSettings.defaults(), host, options,
                        PluginJson.READER));
                OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                OrtSession mapping = env.createSession(Bench.demo("stylegan2/mapping.onnx").toString(), so);
                OrtSession synthesis = env.createSession(Bench.demo("stylegan2/synthesis.onnx").toString(), so);
                OrtSession faceRaw = env.createSession(face.toString(), so);
                ModelSession mappingHost = host.open(Bench.demo("stylegan2/mapping.onnx"), options);
                ModelSession synthesisHost = host.open(Bench.demo("stylegan2/synthesis.onnx"), options);
                ModelSession faceHost = host.open(face, options)) {
            // generator: z -> mapping -> truncated w+ -> synthesis (both graphs, every output)
            FloatTensor z = gan.sampleZ(7, 0, batch);
            FloatTensor wPlus = gan.truncate(gan.map(z));
            String zName = mapping.getInputNames().iterator().next();
            String wsName = synthesis.getInputNames().iterator().next();
            Step bareGan = () -> {
                double check;
                try (OnnxTensor zt = OnnxTensor.createTensor(env, FloatBuffer.wrap(z.data()), z.shape());
                        OrtSession.Result m = mapping.run(Map.of(zName, zt))) {
                    check = first(m);
                }
                // the bare path feeds the same truncated w+ (truncation is a few hundred multiply-adds)
                try (OnnxTensor wt = OnnxTensor.createTensor(env, FloatBuffer.wrap(wPlus.data()), wPlus.shape());
                        OrtSession.Result s = synthesis.run(Map.of(wsName, wt))) {
                    return check + first(s);
                }
            };
            Step layerGan = () -> mappingHost.run(Map.of(zName, z)).get("w").data()[0]
                    + synthesisHost.run(Map.of(wsName, wPlus)).get("img").data()[0];
            Step pluginGan = () -> gan.synthesize(gan.truncate(gan.map(z))).rgb()[0];
            FloatTensor img = synthesisHost.run(Map.of(wsName, wPlus)).get("img");
            Step toRgb8 = () -> Images.toRgb8(img, false, false, -1, 1).rgb()[0];
            Result g = compare(batch, rounds, blockSeconds, new String[] {"bare OrtSession", "runtime layer", "stylegan2 plugin"},
                    bareGan, layerGan, pluginGan, toRgb8);
            report("generator (demo stylegan2, 128 px: mapping + synthesis)", g,
                    new String[] {"bare OrtSession (mapping + synthesis, float out)",
                            "DefaultModelHost sessions (same tensors)",
                            "StyleGan2Provider/GanBackbone: map, truncate, synthesize -> RGB8",
                            "the plugin's float -> RGB8 conversion alone (Images.toRgb8)"});
            System.out.printf("  the plugin adds truncation and the float -> 8-bit conversion: the conversion alone takes %.0f%% of the "
                    + "plugin's time per image%n", 100 * g.imagesPerSecond[2] / g.imagesPerSecond[3]);
            Bench.target("2a generator: plugin+runtime / bare OrtSession images/s (median ratio; best blocks; per CPU-s)",
                    String.format("%.3f; %.3f; %.3f", g.ratioToFirst[2], g.bestRatio[2], g.cpuRatio[2]), ">= 0.95",
                    g.ratioToFirst[2] >= 0.95);

            // recogniser: demo faces -> aligned 112x112 crops -> normalised NCHW
            ImageBatch images = gan.synthesize(wPlus);
            ImageBatch crops = rec.embed(images).crops();
            float[] nchw = nchw(crops);
            long[] shape = {batch, 3, 112, 112};
            String in = faceRaw.getInputNames().iterator().next();
            FloatTensor cropTensor = new FloatTensor(shape, nchw);
            Step bareFace = () -> {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
                        OrtSession.Result r = faceRaw.run(Map.of(in, t))) {
                    return first(r);
                }
            };
            Step layerFace = () -> faceHost.run(Map.of(in, cropTensor)).values().iterator().next().data()[0];
            Step pluginFace = () -> rec.embed(images).vectors()[0][0];
            Step pluginCrops = () -> rec.embedAligned(crops).vectors()[0][0];
            Result f = compare(batch, rounds, blockSeconds,
                    new String[] {"bare OrtSession", "runtime layer", "arcface plugin", "arcface on crops"},
                    bareFace, layerFace, pluginFace, pluginCrops);
            report("recogniser (demo_face.onnx, 112 px crops)", f,
                    new String[] {"bare OrtSession on pre-aligned, pre-normalised crops",
                            "DefaultModelHost session (same tensor)",
                            "ArcFaceProvider embed(128 px images): align + normalise + run + L2",
                            "ArcFaceProvider embedAligned(the crops): normalise + run + L2"});
            // alignment's share: what embed() costs beyond embedAligned() on the same faces
            double alignShare = 1 - f.imagesPerSecond[2] / f.imagesPerSecond[3];
            System.out.printf("  the plugin adds alignment (fixed landmarks: one similarity warp per face, antialiased) and "
                    + "normalisation: align alone takes %.0f%% of the plugin's time per image%n", 100 * alignShare);
            Bench.target("2b recogniser: runtime layer / bare OrtSession images/s, same crops (median; best; per CPU-s)",
                    String.format("%.3f; %.3f; %.3f", f.ratioToFirst[1], f.bestRatio[1], f.cpuRatio[1]), ">= 0.95",
                    f.ratioToFirst[1] >= 0.95);
            Bench.target("2b recogniser: plugin (align+embed from 128 px images) / bare OrtSession on aligned crops",
                    String.format("%.3f; %.3f; %.3f", f.ratioToFirst[2], f.bestRatio[2], f.cpuRatio[2]),
                    ">= 0.95 (the plugin also aligns)", f.ratioToFirst[2] >= 0.95);
        }
    }

    private static double first(OrtSession.Result r) {
        double s = 0;
        for (Map.Entry<String, OnnxValue> e : r) {
            s += ((OnnxTensor) e.getValue()).getFloatBuffer().get(0);
        }
        return s;
    }

    static float[] nchw(ImageBatch crops) {
        int s = crops.width() * crops.height();
        float[] out = new float[crops.count() * 3 * s];
        byte[] rgb = crops.rgb();
        for (int n = 0; n < crops.count(); n++) {
            for (int p = 0; p < s; p++) {
                for (int c = 0; c < 3; c++) {
                    out[(n * 3 + c) * s + p] = ((rgb[(n * s + p) * 3 + c] & 0xff) - 127.5f) / 127.5f;
                }
            }
        }
        return out;
    }

    /** Alternating blocks; returns median images/s per variant and median per-round ratio to variant 0. */
    static Result compare(int batch, int rounds, double blockSeconds, String[] names, Step... steps) throws Exception {
        int v = steps.length;
        double sink = 0;
        // warm up each and size the blocks from the slowest variant
        double slowest = 0;
        for (Step s : steps) {
            for (int i = 0; i < 3; i++) {
                sink += s.run();
            }
            long t = System.nanoTime();
            sink += s.run();
            slowest = Math.max(slowest, (System.nanoTime() - t) / 1e9);
        }
        int calls = (int) Math.max(1, Math.round(blockSeconds / Math.max(slowest, 1e-6)));
        double[][] ips = new double[v][rounds];
        double[][] ratio = new double[v][rounds];
        double[] cpu = new double[v];
        double[] images = new double[v];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < v; k++) {
                int i = (k + r) % v;
                long c0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    sink += steps[i].run();
                }
                ips[i][r] = (double) calls * batch / ((System.nanoTime() - t0) / 1e9);
                cpu[i] += (OS.getProcessCpuTime() - c0) / 1e9;
                images[i] += (double) calls * batch;
            }
            for (int i = 0; i < v; i++) {
                ratio[i][r] = ips[i][r] / ips[0][r];
            }
        }
        double[] med = new double[v];
        double[] rat = new double[v];
        double[] best = new double[v];
        double[] cpuRatio = new double[v];
        for (int i = 0; i < v; i++) {
            cpuRatio[i] = (images[i] / cpu[i]) / (images[0] / cpu[0]);
            med[i] = Bench.median(ips[i]);
            rat[i] = Bench.median(ratio[i]);
            best[i] = Arrays.stream(ips[i]).max().orElse(0) / Arrays.stream(ips[0]).max().orElse(1);
        }
        if (Double.isNaN(sink)) {
            System.out.println("(NaN in outputs)");
        }
        return new Result(med, rat, best, cpuRatio);
    }

    static void report(String title, Result r, String[] labels) {
        System.out.printf("  %s%n", title);
        for (int i = 0; i < labels.length; i++) {
            System.out.printf("    %-72s %9.1f images/s   ratio %.3f   best-block ratio %.3f   per-CPU-second ratio %.3f%n",
                    labels[i], r.imagesPerSecond[i], r.ratioToFirst[i], r.bestRatio[i], r.cpuRatio[i]);
        }
    }

}
