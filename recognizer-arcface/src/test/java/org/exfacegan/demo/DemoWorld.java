package org.exfacegan.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.exfacegan.gan.Images;
import org.exfacegan.gan.Latents;
import org.exfacegan.api.backbone.SubLatent;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.OnnxWriter;
import org.exfacegan.recognizer.arcface.AlignedInput;

/**
 * Builds the demo world (docs/demo-world.md): four generators, one per backbone layout, and a
 * recogniser, all deterministic from fixed seeds. Graphs are written with {@link OnnxWriter};
 * the statistics they need (w_avg, factor standardisation, the recogniser's head) come from
 * running the written graphs through the host's ONNX Runtime.
 */
public final class DemoWorld {
    /** Samples used for w_avg and the factor standardisation. */
    static final int STAT_SAMPLES = 20_000;
    /** Rendered crops used to fit the recogniser head. */
    static final int FIT_SAMPLES = 4_000;
    static final int EMBEDDING = 64;

    /**
     * One generator layout.
     *
     * @param components 0 for StyleGAN ([dim] latents), else GANsformer's k+1 components
     * @param staticBatch batch baked into the synthesis graph, 0 for dynamic
     * @param hidden widths of the mapping MLP's hidden layers
     */
    record Layout(String name, int zDim, int wDim, int numWs, int components, int resolution, int staticBatch,
            int[] hidden, long seed) {
        int c() {
            return Math.max(1, components);
        }

        int zSize() {
            return c() * zDim;
        }

        int wSize() {
            return c() * wDim;
        }

        long[] batched(int batch, int... item) {
            long[] s = new long[item.length + 1];
            s[0] = batch;
            for (int i = 0; i < item.length; i++) {
                s[i + 1] = item[i];
            }
            return s;
        }

        int[] zShape() {
            return components > 0 ? new int[] {components, zDim} : new int[] {zDim};
        }

        int[] wShape() {
            return components > 0 ? new int[] {components, wDim} : new int[] {wDim};
        }

        int[] wPlusShape() {
            return components > 0 ? new int[] {components, numWs, wDim} : new int[] {numWs, wDim};
        }
    }

    static final List<Layout> LAYOUTS = List.of(
            new Layout("stylegan2", 32, 32, 8, 0, 128, 0, new int[] {64, 64}, 2),
            new Layout("stylegan3", 32, 32, 10, 0, 128, 4, new int[] {48, 48, 48}, 3),
            new Layout("gansformer", 16, 16, 6, 4, 64, 0, new int[] {32}, 5),
            new Layout("gancontrol", 32, 32, 8, 0, 128, 0, new int[] {32}, 7));

    /**
     * GAN-Control's named sub-latents (same places in z and w; the mapping's hidden widths apply to
     * each): every identity factor reads the "id" sub-latent only, each nuisance factor one other.
     */
    static final List<SubLatent> GANCONTROL_SUB_LATENTS = List.of(new SubLatent("id", 0, 16),
            new SubLatent("expression", 16, 20), new SubLatent("orientation", 20, 24), new SubLatent("gamma", 24, 28),
            new SubLatent("other", 28, 32));

    /** The sub-latent each factor reads in the gancontrol layout (an index into {@link #GANCONTROL_SUB_LATENTS}). */
    static int ganControlSubLatent(int factor) {
        return switch (factor) {
            case DemoFace.MOUTH, DemoFace.BROW -> 1;
            case DemoFace.SHIFT_X, DemoFace.SHIFT_Y -> 2;
            case DemoFace.BRIGHT, DemoFace.LIGHT_DIR -> 3;
            case DemoFace.BG_HUE, DemoFace.BG_LIGHT -> 4;
            default -> 0; // identity
        };
    }

    /** The layout whose synthesis takes StyleGAN3's input transform ([3, 3], "transform"). */
    static final String TRANSFORMED = "stylegan3";

    /** Report line naming the fixed landmark layout the faces and the recogniser's windows were built for. */
    static final String LAYOUT_LINE = "fixed landmark layout (image fractions): ";

    /** The arcface plugin's current fixed layout, as written in the report. */
    static String layoutLine() {
        float[] p = org.exfacegan.recognizer.arcface.FaceTemplate.fixedPoints(1, 1, null);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < p.length; i++) {
            s.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%.4f", p[i] + 0.5));
        }
        return s.toString();
    }

    private final ModelHost host;
    private final Path out;
    private final List<String> report = new ArrayList<>();

    DemoWorld(ModelHost host, Path out) {
        this.host = host;
        this.out = out;
    }

    /** Builds everything under {@code out}; returns the lines of the build report. */
    List<String> build() {
        for (Layout l : LAYOUTS) {
            buildGenerator(l);
        }
        buildRecognizer();
        report.add(LAYOUT_LINE + layoutLine());
        write(out.resolve("BUILD-REPORT.txt"), String.join("\n", report) + "\n");
        return report;
    }

    // ---------------------------------------------------------------- generators

    private void buildGenerator(Layout l) {
        Path dir = out.resolve(l.name());
        Random rnd = new Random(l.seed());
        boolean split = l.name().equals("gancontrol");
        Path mapping = (split ? splitMappingGraph(l, rnd) : mappingGraph(l, rnd)).write(dir.resolve("mapping.onnx"));
        float[] w = run(mapping, "z", FloatTensor.of(Latents.normal(l.seed(), 0, STAT_SAMPLES, l.zSize()),
                l.batched(STAT_SAMPLES, l.zShape())), "w").data();
        int n = STAT_SAMPLES;
        int dim = l.wSize();
        float[] wAvg = new float[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                wAvg[j] += w[i * dim + j] / n;
            }
        }
        // each factor reads one random direction over all of w: identity and nuisance are entangled
        double[][] dirs = new double[DemoFace.K][];
        double[] mean = new double[DemoFace.K];
        double[] std = new double[DemoFace.K];
        for (int k = 0; k < DemoFace.K; k++) {
            dirs[k] = split ? unit(within(gaussian(rnd, dim), GANCONTROL_SUB_LATENTS.get(ganControlSubLatent(k))))
                    : unit(gaussian(rnd, dim));
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double p = 0;
                for (int j = 0; j < dim; j++) {
                    p += dirs[k][j] * w[i * dim + j];
                }
                s += p;
                s2 += p * p;
            }
            mean[k] = s / n;
            std[k] = Math.sqrt(s2 / n - mean[k] * mean[k]);
        }
        synthesisGraph(l, dirs, mean, std).write(dir.resolve("synthesis.onnx"));
        write(dir.resolve("model.json"), split ? ganControlDescriptor(l, wAvg) : descriptor(l, wAvg));
        // how much of the true identity a linear map of z explains (in w it is all of it, by construction)
        float[] z = Latents.normal(l.seed(), 0, n, l.zSize());
        double[][] zs = new double[n][l.zSize()];
        double[][] truth = new double[n][DemoFace.ID];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l.zSize(); j++) {
                zs[i][j] = z[i * l.zSize() + j];
            }
            for (int k = 0; k < DemoFace.ID; k++) {
                double p = 0;
                for (int j = 0; j < dim; j++) {
                    p += dirs[k][j] * w[i * dim + j];
                }
                truth[i][k] = (p - mean[k]) / std[k];
            }
        }
        double zR2 = Arrays.stream(Head.fit(zs, truth, 1e-6).r2Linear(zs, truth)).average().orElseThrow();
        report.add(String.format(Locale.ROOT, "%s: z %s, w %s, w+ %s, %d px, synthesis batch %s; |w_avg| = %.3f;"
                + " true identity is affine in w, a linear map of z explains R^2 %.3f of it",
                l.name(), shape(l.zShape()), shape(l.wShape()), shape(l.wPlusShape()), l.resolution(),
                l.staticBatch() > 0 ? l.staticBatch() : "dynamic", norm(wAvg), zR2));
    }

    /** z -> pixel norm -> leaky-ReLU MLP -> w, applied to each component's last axis. */
    private static OnnxWriter mappingGraph(Layout l, Random rnd) {
        OnnxWriter g = new OnnxWriter(l.name() + "-demo-mapping");
        Ops o = new Ops(g);
        g.input("z", l.batched(-1, l.zShape()));
        String ms = o.fresh("ms");
        o.node("ReduceMean", ms, o.sq("z")).attrInts("axes", -1).attrInt("keepdims", 1);
        String x = o.div("z", o.op("Sqrt", o.add(ms, o.c(1e-8))));
        int in = l.zDim();
        for (int h : l.hidden()) {
            x = o.leakyRelu(o.dense(x, scaled(gaussian(rnd, in * h), Math.sqrt(2.0 / in)), scaled(gaussian(rnd, h), 0.3), in, h),
                    0.2);
            in = h;
        }
        x = o.dense(x, scaled(gaussian(rnd, in * l.wDim()), Math.sqrt(1.0 / in)), scaled(gaussian(rnd, l.wDim()), 0.3),
                in, l.wDim());
        o.identity(x, "w");
        g.output("w", l.batched(-1, l.wShape()));
        return g;
    }

    /**
     * w+ -> standardised factors (each the mean over its layer group of a random direction in w) ->
     * settings u = sigmoid(1.6 raw) -> rendered face; the identity part of raw is the ground truth
     * ("identity"), the nuisance part the nuisance ground truth ("nuisance").
     */
    private static OnnxWriter synthesisGraph(Layout l, double[][] dirs, double[] mean, double[] std) {
        OnnxWriter g = new OnnxWriter(l.name() + "-demo-synthesis");
        Ops o = new Ops(g);
        long batch = l.staticBatch() > 0 ? l.staticBatch() : -1;
        g.input("ws", l.batched((int) batch, l.wPlusShape()));
        int c = l.c();
        int layers = l.numWs();
        int rows = c * layers * l.wDim();
        float[] a = new float[rows * DemoFace.K];
        float[] bias = new float[DemoFace.K];
        for (int k = 0; k < DemoFace.K; k++) {
            List<Integer> group = new ArrayList<>();
            for (int layer = 0; layer < layers; layer++) {
                if (layer * 3 / layers == DemoFace.LAYER_GROUP[k]) {
                    group.add(layer);
                }
            }
            for (int comp = 0; comp < c; comp++) {
                for (int layer : group) {
                    for (int j = 0; j < l.wDim(); j++) {
                        a[((comp * layers + layer) * l.wDim() + j) * DemoFace.K + k] =
                                (float) (dirs[k][comp * l.wDim() + j] / group.size() / std[k]);
                    }
                }
            }
            bias[k] = (float) (-mean[k] / std[k]);
        }
        String raw = o.dense(o.reshape("ws", -1, rows), a, bias, rows, DemoFace.K);
        long[] identityIdx = new long[DemoFace.ID];
        for (int i = 0; i < identityIdx.length; i++) {
            identityIdx[i] = i;
        }
        o.identity(o.gather(raw, 1, identityIdx), "identity");
        String u = o.sigmoid(o.mul(raw, o.c(DemoFace.SQUASH)));
        int r = l.resolution();
        float[][] grid = DemoFace.imageGrid(r);
        String x = o.t(grid[0], 1, 1, r, r);
        String y = o.t(grid[1], 1, 1, r, r);
        if (l.name().equals(TRANSFORMED)) {
            g.input("transform", 3, 3);
            String[] xy = transformedGrid(o, "transform", x, y);
            x = xy[0];
            y = xy[1];
        }
        String img = DemoFace.render(o, u, x, y, 0.8 / r);
        o.identity(img, "img");
        // added after the image so the image part of the graph (names included) is what it was before
        long[] nuisanceIdx = new long[DemoFace.K - DemoFace.ID];
        for (int i = 0; i < nuisanceIdx.length; i++) {
            nuisanceIdx[i] = DemoFace.ID + i;
        }
        o.identity(o.gather(raw, 1, nuisanceIdx), "nuisance");
        g.output("img", batch, 3, r, r);
        g.output("identity", batch, DemoFace.ID);
        g.output("nuisance", batch, nuisanceIdx.length);
        return g;
    }

    private static String descriptor(Layout l, float[] wAvg) {
        StringBuilder avg = new StringBuilder();
        if (l.components() > 0) {
            avg.append('[');
            for (int comp = 0; comp < l.components(); comp++) {
                float[] part = new float[l.wDim()];
                System.arraycopy(wAvg, comp * l.wDim(), part, 0, l.wDim());
                avg.append(comp > 0 ? ",\n    " : "\n    ").append(numbers(part));
            }
            avg.append("\n  ]");
        } else {
            avg.append(numbers(wAvg));
        }
        String batch = l.staticBatch() > 0 ? ", \"static_batch\": " + l.staticBatch() : "";
        return "{\n"
                + "  \"format_version\": 1,\n"
                + "  \"backbone\": \"" + l.name() + "\",\n"
                + "  \"source\": \"demo world built by org.exfacegan.demo.DemoWorld (docs/demo-world.md); not a trained GAN\",\n"
                + "  \"format\": \"onnx\",\n"
                + "  \"z_dim\": " + l.zDim() + ",\n"
                + "  \"w_dim\": " + l.wDim() + ",\n"
                + "  \"num_ws\": " + l.numWs() + ",\n"
                + (l.components() > 0 ? "  \"components\": " + l.components() + ",\n" : "")
                + "  \"resolution\": " + l.resolution() + ",\n"
                + "  \"output_range\": [-1, 1],\n"
                + "  \"channel_order\": \"RGB\",\n"
                + "  \"image_layout\": \"NCHW\",\n"
                + "  \"w_avg\": " + avg + ",\n"
                + "  \"mapping\": {\"input\": \"z\", \"output\": \"w\", \"onnx\": {\"file\": \"mapping.onnx\"}},\n"
                + "  \"synthesis\": {\"input\": \"ws\", \"output\": \"img\", \"ground_truth_output\": \"identity\", "
                + "\"nuisance_output\": \"nuisance\",\n"
                + (l.name().equals(TRANSFORMED) ? "    \"transform_input\": \"transform\",\n" : "")
                + "    \"onnx\": {\"file\": \"synthesis.onnx\"" + batch + "}}\n"
                + "}\n";
    }

    /**
     * StyleGAN3's input transform T ([3, 3], identity by default): the face is drawn at the sampling
     * positions q = T p of the output pixels p, p centred on the image in image widths, as the
     * official synthesis input samples its features (gen_images.py's --translate and --rotate set T).
     * Written as x + ((T00 - 1) px + T01 py + T02) so that T = I draws exactly the untransformed face.
     */
    private static String[] transformedGrid(Ops o, String t, String x, String y) {
        String cx = o.sub(x, o.c(0.5));
        String cy = o.sub(y, o.c(0.5));
        String flat = o.reshape(t, 9);
        String[] m = new String[6];
        for (int k = 0; k < 6; k++) {
            m[k] = o.gather(flat, 0, k);
        }
        String dx = o.add(o.add(o.mul(o.sub(m[0], o.c(1)), cx), o.mul(m[1], cy)), m[2]);
        String dy = o.add(o.add(o.mul(m[3], cx), o.mul(o.sub(m[4], o.c(1)), cy)), m[5]);
        return new String[] {o.add(x, dx), o.add(y, dy)};
    }

    /**
     * GAN-Control's mapping: each sub-latent of z goes through its own pixel norm and leaky-ReLU MLP
     * to the same place in w, so the sub-latents stay apart (the official generator's split mapping).
     */
    private static OnnxWriter splitMappingGraph(Layout l, Random rnd) {
        OnnxWriter g = new OnnxWriter(l.name() + "-demo-mapping");
        Ops o = new Ops(g);
        g.input("z", -1, l.zDim());
        String[] parts = new String[GANCONTROL_SUB_LATENTS.size()];
        for (int p = 0; p < parts.length; p++) {
            SubLatent sub = GANCONTROL_SUB_LATENTS.get(p);
            long[] idx = new long[sub.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = sub.start() + i;
            }
            String zp = o.gather("z", 1, idx);
            String ms = o.fresh("ms");
            o.node("ReduceMean", ms, o.sq(zp)).attrInts("axes", -1).attrInt("keepdims", 1);
            String x = o.div(zp, o.op("Sqrt", o.add(ms, o.c(1e-8))));
            int in = sub.size();
            for (int h : l.hidden()) {
                x = o.leakyRelu(o.dense(x, scaled(gaussian(rnd, in * h), Math.sqrt(2.0 / in)), scaled(gaussian(rnd, h), 0.3), in, h),
                        0.2);
                in = h;
            }
            parts[p] = o.dense(x, scaled(gaussian(rnd, in * sub.size()), Math.sqrt(1.0 / in)),
                    scaled(gaussian(rnd, sub.size()), 0.3), in, sub.size());
        }
        o.identity(o.concat(1, parts), "w");
        g.output("w", -1, l.wDim());
        return g;
    }

    /** v with every coordinate outside {@code sub} set to 0. */
    private static float[] within(float[] v, SubLatent sub) {
        for (int i = 0; i < v.length; i++) {
            if (i < sub.start() || i >= sub.end()) {
                v[i] = 0;
            }
        }
        return v;
    }

    /** The gancontrol plugin's descriptor (docs/backbones/gancontrol.md). */
    private static String ganControlDescriptor(Layout l, float[] wAvg) {
        StringBuilder subLatents = new StringBuilder();
        for (SubLatent sub : GANCONTROL_SUB_LATENTS) {
            subLatents.append(subLatents.length() == 0 ? "" : ", ").append('"').append(sub.name()).append("\": [")
                    .append(sub.start()).append(", ").append(sub.end()).append(']');
        }
        return "{\n"
                + "  \"format_version\": 1,\n"
                + "  \"backbone\": \"" + l.name() + "\",\n"
                + "  \"source\": \"demo world built by org.exfacegan.demo.DemoWorld (docs/demo-world.md); not a trained GAN\",\n"
                + "  \"latent_dim\": " + l.zDim() + ",\n"
                + "  \"num_ws\": " + l.numWs() + ",\n"
                + "  \"resolution\": " + l.resolution() + ",\n"
                + "  \"sub_latents\": {" + subLatents + "},\n"
                + "  \"w_avg\": " + numbers(wAvg) + ",\n"
                + "  \"mapping\": {\"file\": \"mapping.onnx\", \"input\": \"z\", \"output\": \"w\"},\n"
                + "  \"synthesis\": {\"file\": \"synthesis.onnx\", \"input\": \"ws\", \"output\": \"img\", "
                + "\"ground_truth_output\": \"identity\", \"nuisance_output\": \"nuisance\"}\n"
                + "}\n";
    }

    // ---------------------------------------------------------------- recogniser

    /**
     * Measurements from fixed windows of the aligned crop (lighting-invariant chromaticities,
     * luminance ratios to the cheeks, mixing fractions at the head, chin, hairline and eye edges),
     * their squares, then a ridge least-squares head onto the identity settings, then a fixed
     * orthonormal map to {@link #EMBEDDING} dimensions.
     */
    private void buildRecognizer() {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("demo-recognizer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Random rnd = new Random(11);
        // fit set: random settings rendered at both demo resolutions, aligned as the plugin aligns them
        Path[] render = {imageRenderer(128).write(tmp.resolve("render-128.onnx")),
            imageRenderer(64).write(tmp.resolve("render-64.onnx"))};
        Path features = recognizerGraph(null).write(tmp.resolve("features.onnx"));
        double[][] raw = new double[FIT_SAMPLES][];
        for (int i = 0; i < FIT_SAMPLES; i++) {
            raw[i] = gaussianD(rnd, DemoFace.K);
        }
        double[][] f = features(render, features, raw);
        double[][] y = new double[FIT_SAMPLES][DemoFace.ID];
        for (int i = 0; i < FIT_SAMPLES; i++) {
            for (int k = 0; k < DemoFace.ID; k++) {
                y[i][k] = target(raw[i][k]);
            }
        }
        Head head = Head.fit(f, y, 1e-3);
        // a fixed orthonormal map keeps cosines: rows of P (ID x EMBEDDING) are orthonormal
        double[][] p = orthonormalRows(rnd, DemoFace.ID, EMBEDDING);
        Path model = recognizerGraph(head.fold(p)).write(out.resolve("recognizer").resolve("demo_face.onnx"));

        // held-out check: R^2 per identity factor and genuine/impostor cosines
        int m = 600;
        double[][] a = new double[m][];
        double[][] b = new double[m][];
        for (int i = 0; i < m; i++) {
            a[i] = gaussianD(rnd, DemoFace.K);
            b[i] = gaussianD(rnd, DemoFace.K);
            // b keeps a's identity with new nuisance
            System.arraycopy(a[i], 0, b[i], 0, DemoFace.ID);
        }
        double[][] fa = features(render, features, a);
        double[][] fb = features(render, features, b);
        double[] r2 = head.r2(fa, a);
        double[][] ea = head.predict(fa);
        double[][] eb = head.predict(fb);
        double genuine = 0;
        double impostor = 0;
        for (int i = 0; i < m; i++) {
            genuine += cosine(ea[i], eb[i]) / m;
            impostor += cosine(ea[i], eb[(i + 1) % m]) / m;
        }
        StringBuilder s = new StringBuilder("recognizer: ").append(head.features).append(" measurements (with squares), ")
                .append(EMBEDDING).append("-d embedding; held-out R^2 per identity factor:");
        for (int k = 0; k < DemoFace.ID; k++) {
            s.append(String.format(Locale.ROOT, " %s %.3f", DemoFace.IDENTITY[k], r2[k]));
        }
        report.add(s.toString());
        report.add(String.format(Locale.ROOT,
                "recognizer on held-out renders: genuine (same identity, new nuisance) mean cosine %.3f, impostor %.3f (%d pairs)",
                genuine, impostor, m));
        report.add("recognizer model: " + out.relativize(model));
    }

    /** Target of the head: the identity setting u, centred and scaled to unit-ish spread. */
    static double target(double raw) {
        return (1 / (1 + Math.exp(-DemoFace.SQUASH * raw)) - 0.5) * 4;
    }

    /** u [n, K] -> image [n, 3, r, r], the synthesis graph without the latent part. */
    static OnnxWriter imageRenderer(int r) {
        OnnxWriter g = new OnnxWriter("demo-render");
        Ops o = new Ops(g);
        g.input("u", -1, DemoFace.K);
        float[][] grid = DemoFace.imageGrid(r);
        o.identity(DemoFace.render(o, "u", o.t(grid[0], 1, 1, r, r), o.t(grid[1], 1, 1, r, r), 0.8 / r), "img");
        g.output("img", -1, 3, r, r);
        return g;
    }

    private static final DemoFace.Window[] CHROMA = {DemoFace.Window.SKIN, DemoFace.Window.HAIR, DemoFace.Window.IRIS,
        DemoFace.Window.EYE, DemoFace.Window.NOSE, DemoFace.Window.HAIRLINE, DemoFace.Window.FOREHEAD};
    /** Luminance relative to the cheeks. */
    private static final DemoFace.Window[] RELATIVE = Arrays.copyOfRange(CHROMA, 1, CHROMA.length);
    /** Mixing fractions: (mixed window, inner, outer). */
    private static final DemoFace.Window[][] MIX = {
        {DemoFace.Window.SIDE, DemoFace.Window.SKIN, DemoFace.Window.BACKGROUND},
        {DemoFace.Window.CHIN, DemoFace.Window.SKIN, DemoFace.Window.BACKGROUND},
        {DemoFace.Window.HAIRLINE, DemoFace.Window.HAIR, DemoFace.Window.SKIN},
        {DemoFace.Window.EYE, DemoFace.Window.IRIS, DemoFace.Window.SKIN}};

    /**
     * The recogniser graph: input [n, 3, 112, 112] as (x - 127.5) / 127.5; with {@code head} null
     * it outputs the raw measurements "features", else the embedding "embedding".
     */
    private static OnnxWriter recognizerGraph(float[][] head) {
        OnnxWriter g = new OnnxWriter("demo-face-recognizer");
        Ops o = new Ops(g);
        g.input("input", -1, 3, 112, 112);
        String v = o.lin("input", 0.5, 0.5);
        String pooled = o.fresh("pool");
        o.node("AveragePool", pooled, v).attrInts("kernel_shape", 2, 2).attrInts("strides", 2, 2);
        int cells = 56 * 56;
        DemoFace.Window[] windows = DemoFace.Window.values();
        float[][] grid = DemoFace.cropGrid(2);
        float[] w = new float[cells * windows.length];
        for (int k = 0; k < windows.length; k++) {
            float[] wk = windows[k].weights(grid);
            for (int p = 0; p < cells; p++) {
                w[p * windows.length + k] = wk[p];
            }
        }
        // colour means per window [n, 3, M], kept positive
        String col = o.add(o.matmul(o.reshape(pooled, -1, 3, cells), w, cells, windows.length), o.c(1e-3));
        String lum = o.sumKeep(col, 1);
        String chroma = o.gather(o.gather(o.div(col, lum), 2, ordinals(CHROMA)), 1, 0, 1);
        String logLum = o.op("Log", lum);
        String relLum = o.sub(o.gather(logLum, 2, ordinals(RELATIVE)), o.gather(logLum, 2, DemoFace.Window.SKIN.ordinal()));
        long[] mixed = new long[MIX.length];
        long[] inner = new long[MIX.length];
        long[] outer = new long[MIX.length];
        for (int i = 0; i < MIX.length; i++) {
            mixed[i] = MIX[i][0].ordinal();
            inner[i] = MIX[i][1].ordinal();
            outer[i] = MIX[i][2].ordinal();
        }
        String out = o.gather(col, 2, outer);
        String span = o.sub(o.gather(col, 2, inner), out);
        String num = o.sumKeep(o.mul(o.sub(o.gather(col, 2, mixed), out), span), 1);
        String fraction = o.div(num, o.add(o.sumKeep(o.sq(span), 1), o.c(1e-4)));
        String f = o.concat(1, o.flatten(chroma), o.flatten(relLum), o.flatten(fraction));
        f = o.concat(1, f, o.sq(f));
        int count = 2 * (CHROMA.length * 2 + RELATIVE.length + MIX.length);
        if (head == null) {
            o.identity(f, "features");
            g.output("features", -1, count);
        } else {
            o.identity(o.dense(f, head[0], head[1], count, EMBEDDING), "embedding");
            g.output("embedding", -1, EMBEDDING);
        }
        return g;
    }

    private static long[] ordinals(DemoFace.Window[] ws) {
        long[] out = new long[ws.length];
        for (int i = 0; i < ws.length; i++) {
            out[i] = ws[i].ordinal();
        }
        return out;
    }

    /** Measurements of faces with settings sigmoid(1.6 raw), alternating the renderers by chunk. */
    private double[][] features(Path[] render, Path features, double[][] raw) {
        int n = raw.length;
        float[] u = new float[n * DemoFace.K];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < DemoFace.K; k++) {
                u[i * DemoFace.K + k] = (float) (1 / (1 + Math.exp(-DemoFace.SQUASH * raw[i][k])));
            }
        }
        double[][] out = new double[n][];
        int chunk = 200;
        try (ModelSession r0 = host.open(render[0], options()); ModelSession r1 = host.open(render[1], options());
                ModelSession f = host.open(features, options())) {
            for (int s = 0; s < n; s += chunk) {
                int m = Math.min(chunk, n - s);
                float[] part = new float[m * DemoFace.K];
                System.arraycopy(u, s * DemoFace.K, part, 0, part.length);
                ModelSession r = (s / chunk) % 2 == 0 ? r0 : r1;
                FloatTensor img = r.run(Map.of("u", FloatTensor.of(part, m, DemoFace.K))).get("img");
                ImageBatch images = Images.toRgb8(img, false, false, -1, 1);
                FloatTensor crop = FloatTensor.of(AlignedInput.fixedLandmarks(images), m, 3, 112, 112);
                FloatTensor feat = f.run(Map.of("input", crop)).get("features");
                int d = feat.itemSize();
                for (int i = 0; i < m; i++) {
                    out[s + i] = new double[d];
                    for (int j = 0; j < d; j++) {
                        out[s + i][j] = feat.data()[i * d + j];
                    }
                }
            }
        }
        return out;
    }

    /** Ridge least squares on standardised measurements, with intercept. */
    static final class Head {
        final int features;
        final double[] mu;
        final double[] sigma;
        final DMatrixRMaj coef; // features x ID
        final double[] intercept;

        private Head(double[] mu, double[] sigma, DMatrixRMaj coef, double[] intercept) {
            this.features = mu.length;
            this.mu = mu;
            this.sigma = sigma;
            this.coef = coef;
            this.intercept = intercept;
        }

        static Head fit(double[][] x, double[][] y, double lambda) {
            int n = x.length;
            int d = x[0].length;
            int k = y[0].length;
            double[] mu = new double[d];
            double[] sigma = new double[d];
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    mu[j] += row[j] / n;
                }
            }
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    sigma[j] += (row[j] - mu[j]) * (row[j] - mu[j]) / n;
                }
            }
            for (int j = 0; j < d; j++) {
                sigma[j] = Math.sqrt(sigma[j]) + 1e-9;
            }
            double[] ymu = new double[k];
            for (double[] row : y) {
                for (int j = 0; j < k; j++) {
                    ymu[j] += row[j] / n;
                }
            }
            DMatrixRMaj xs = new DMatrixRMaj(n, d);
            DMatrixRMaj ys = new DMatrixRMaj(n, k);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    xs.set(i, j, (x[i][j] - mu[j]) / sigma[j]);
                }
                for (int j = 0; j < k; j++) {
                    ys.set(i, j, y[i][j] - ymu[j]);
                }
            }
            DMatrixRMaj gram = new DMatrixRMaj(d, d);
            CommonOps_DDRM.multTransA(xs, xs, gram);
            for (int j = 0; j < d; j++) {
                gram.add(j, j, lambda * n);
            }
            DMatrixRMaj rhs = new DMatrixRMaj(d, k);
            CommonOps_DDRM.multTransA(xs, ys, rhs);
            DMatrixRMaj coef = new DMatrixRMaj(d, k);
            if (!CommonOps_DDRM.solveSPD(gram, rhs, coef)) {
                throw new IllegalStateException("recogniser head: normal equations are singular");
            }
            return new Head(mu, sigma, coef, ymu);
        }

        double[][] predict(double[][] x) {
            double[][] out = new double[x.length][intercept.length];
            for (int i = 0; i < x.length; i++) {
                for (int k = 0; k < intercept.length; k++) {
                    double s = intercept[k];
                    for (int j = 0; j < features; j++) {
                        s += (x[i][j] - mu[j]) / sigma[j] * coef.get(j, k);
                    }
                    out[i][k] = s;
                }
            }
            return out;
        }

        /** R^2 of each column of y for a prediction of y itself (no target transform). */
        double[] r2Linear(double[][] x, double[][] y) {
            double[][] p = predict(x);
            int k = intercept.length;
            double[] r2 = new double[k];
            for (int j = 0; j < k; j++) {
                double mean = 0;
                for (double[] row : y) {
                    mean += row[j] / y.length;
                }
                double ss = 0;
                double res = 0;
                for (int i = 0; i < y.length; i++) {
                    ss += (y[i][j] - mean) * (y[i][j] - mean);
                    res += (y[i][j] - p[i][j]) * (y[i][j] - p[i][j]);
                }
                r2[j] = 1 - res / ss;
            }
            return r2;
        }

        /** Held-out R^2 of each identity target. */
        double[] r2(double[][] x, double[][] raw) {
            double[][] p = predict(x);
            int k = intercept.length;
            double[] r2 = new double[k];
            for (int j = 0; j < k; j++) {
                double mean = 0;
                for (double[] r : raw) {
                    mean += target(r[j]) / raw.length;
                }
                double ss = 0;
                double res = 0;
                for (int i = 0; i < raw.length; i++) {
                    double t = target(raw[i][j]);
                    ss += (t - mean) * (t - mean);
                    res += (t - p[i][j]) * (t - p[i][j]);
                }
                r2[j] = 1 - res / ss;
            }
            return r2;
        }

        /** Weights [features x E] and bias [E] of x -> predict(x) P, standardisation folded in. */
        float[][] fold(double[][] p) {
            int e = p[0].length;
            float[] w = new float[features * e];
            float[] b = new float[e];
            for (int q = 0; q < e; q++) {
                double bias = 0;
                for (int k = 0; k < intercept.length; k++) {
                    double shift = intercept[k];
                    for (int j = 0; j < features; j++) {
                        shift -= mu[j] / sigma[j] * coef.get(j, k);
                    }
                    bias += shift * p[k][q];
                }
                b[q] = (float) bias;
                for (int j = 0; j < features; j++) {
                    double s = 0;
                    for (int k = 0; k < intercept.length; k++) {
                        s += coef.get(j, k) / sigma[j] * p[k][q];
                    }
                    w[j * e + q] = (float) s;
                }
            }
            return new float[][] {w, b};
        }
    }

    // ---------------------------------------------------------------- helpers

    private FloatTensor run(Path model, String input, FloatTensor x, String output) {
        try (ModelSession s = host.open(model, options())) {
            return s.run(Map.of(input, x)).get(output);
        }
    }

    private static ModelOptions options() {
        return ModelOptions.DEFAULT.withBatchSize(1000);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }

    private static double[][] orthonormalRows(Random rnd, int rows, int cols) {
        double[][] q = new double[rows][];
        for (int i = 0; i < rows; i++) {
            double[] v = gaussianD(rnd, cols);
            for (int j = 0; j < i; j++) {
                double d = 0;
                for (int c = 0; c < cols; c++) {
                    d += v[c] * q[j][c];
                }
                for (int c = 0; c < cols; c++) {
                    v[c] -= d * q[j][c];
                }
            }
            q[i] = unit(v);
        }
        return q;
    }

    private static double[] gaussianD(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static double[] unit(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return unit(d);
    }

    private static double[] unit(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / n;
        }
        return out;
    }

    private static float[] scaled(float[] v, double s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) s;
        }
        return v;
    }

    private static double norm(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        return Math.sqrt(n);
    }

    private static String numbers(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.6f", v[i]));
        }
        return s.append(']').toString();
    }

    private static String shape(int[] s) {
        return java.util.Arrays.toString(s);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
