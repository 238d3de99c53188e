package org.exfacegan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.backbone.stylegan2.StyleGan2Provider;
import org.exfacegan.backbone.stylegan2.StyleGan2Settings;
import org.exfacegan.recognizer.arcface.ArcFaceProvider;
import org.exfacegan.recognizer.arcface.ArcFaceSettings;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;

/**
 * Batch size x ORT intra-op threads on the CPU, through the plugins as the pipeline calls them:
 * a fixed number of images per call, which the host splits into batches of the configured size.
 * Each configuration opens its own sessions (so no idle thread pool of another one competes),
 * and the whole sweep runs PASSES times in alternating order; the best pass counts.
 */
final class Sweep {
    private Sweep() {}

    static final int[] BATCHES = {1, 2, 4, 8, 16, 32, 64};
    static final int[] THREADS = {1, 2, 0};
    /** Passes over all cells, alternating direction; other processes only ever slow a cell, so its best pass counts. */
    static final int PASSES = 8;

    interface Open {
        RuntimeOverhead.Step open(ModelOptions options, List<AutoCloseable> close) throws Exception;
    }

    record Best(int batch, int threads, double ips) {}

    static void run(int images, double seconds) throws Exception {
        System.out.printf("%n== 4. Batch size x threads sweep, CPU, ONNX Runtime (images/s through the plugin; %d images per call, "
                + "split by the host into batches; threads 0 = ORT's default; best of %d passes of ~%.2f s each) ==%n", images, PASSES, seconds);
        DefaultModelHost host = DefaultModelHost.fromServiceLoader();
        ImageBatch faces;
        FloatTensor z;
        try (Backbone gan = new StyleGan2Provider().open(new PluginContext(Bench.demo("stylegan2/model.json"),
                StyleGan2Settings.DEFAULTS, host, ModelOptions.DEFAULT, PluginJson.READER))) {
            z = gan.sampleZ(11, 0, images);
            faces = gan.synthesize(gan.truncate(gan.map(z)));
        }
        Open generator = (options, close) -> {
            Backbone gan = new StyleGan2Provider().open(new PluginContext(Bench.demo("stylegan2/model.json"),
                    StyleGan2Settings.DEFAULTS, host, options, PluginJson.READER));
            close.add(gan);
            return () -> gan.synthesize(gan.truncate(gan.map(z))).rgb()[0];
        };
        Open recogniser = (options, close) -> {
            Recognizer rec = new ArcFaceProvider().open(new PluginContext(Bench.demo("recognizer/demo_face.onnx"),
                    ArcFaceSettings.defaults(), host, options, PluginJson.READER));
            close.add(rec);
            return () -> rec.embed(new ImageBatch(faces.count(), faces.height(), faces.width(), faces.rgb())).vectors()[0][0];
        };
        JsonNode quick = Json.MAPPER.readTree(Bench.root().resolve("examples/quickstart.json").toFile());
        Best g = sweep("generator (stylegan2 plugin: map + truncate + synthesize)", generator, images, seconds, quick.get("backbone"));
        Best r = sweep("recogniser (arcface plugin: align + embed)", recogniser, images, seconds, quick.get("recognizer"));
        System.out.printf("  best: generator batch %d threads %d (%.0f images/s); recogniser batch %d threads %d (%.0f images/s)%n",
                g.batch, g.threads, g.ips, r.batch, r.threads, r.ips);
    }

    static Best sweep(String title, Open open, int images, double seconds, JsonNode quickstart) throws Exception {
        double[][] ips = new double[THREADS.length][BATCHES.length];
        List<int[]> order = new ArrayList<>();
        for (int t = 0; t < THREADS.length; t++) {
            for (int b = 0; b < BATCHES.length; b++) {
                order.add(new int[] {t, b});
            }
        }
        for (int pass = 0; pass < PASSES; pass++) {
            for (int k = 0; k < order.size(); k++) {
                int[] tb = order.get(pass % 2 == 0 ? k : order.size() - 1 - k);
                ModelOptions options = new ModelOptions(null, "cpu", BATCHES[tb[1]], THREADS[tb[0]]);
                List<AutoCloseable> close = new ArrayList<>();
                try {
                    RuntimeOverhead.Step step = open.open(options, close);
                    double sink = step.run(); // warm-up
                    long t0 = System.nanoTime();
                    int calls = 0;
                    while (System.nanoTime() - t0 < seconds * 1e9) {
                        sink += step.run();
                        calls++;
                    }
                    double v = (double) calls * images / ((System.nanoTime() - t0) / 1e9);
                    ips[tb[0]][tb[1]] = Math.max(ips[tb[0]][tb[1]], Double.isNaN(sink) ? 0 : v);
                } finally {
                    for (AutoCloseable c : close) {
                        c.close();
                    }
                }
            }
        }
        System.out.printf("  %s, images/s%n    %-10s", title, "threads");
        for (int b : BATCHES) {
            System.out.printf(" %8s", "batch " + b);
        }
        System.out.println();
        Best best = new Best(0, 0, 0);
        for (int t = 0; t < THREADS.length; t++) {
            System.out.printf("    %-10s", THREADS[t] == 0 ? "0 (ORT)" : String.valueOf(THREADS[t]));
            for (int b = 0; b < BATCHES.length; b++) {
                System.out.printf(" %8.0f", ips[t][b]);
                if (ips[t][b] > best.ips) {
                    best = new Best(BATCHES[b], THREADS[t], ips[t][b]);
                }
            }
            System.out.println();
        }
        cell("ModelOptions.DEFAULT", ips, ModelOptions.DEFAULT.batchSize(), ModelOptions.DEFAULT.threads(), best);
        cell("examples/quickstart.json", ips, quickstart.path("batch_size").asInt(ModelOptions.DEFAULT.batchSize()),
                quickstart.path("threads").asInt(ModelOptions.DEFAULT.threads()), best);
        return best;
    }

    private static void cell(String what, double[][] ips, int batch, int threads, Best best) {
        int col = Arrays.binarySearch(BATCHES, batch);
        int row = -1;
        for (int t = 0; t < THREADS.length; t++) {
            row = THREADS[t] == threads ? t : row;
        }
        double v = col >= 0 && row >= 0 ? ips[row][col] : Double.NaN;
        System.out.printf("    %s (batch %d, threads %d): %.0f images/s = %.2f of the best cell%n", what, batch, threads, v, v / best.ips);
    }
}
