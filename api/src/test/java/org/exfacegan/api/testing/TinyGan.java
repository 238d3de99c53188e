package org.exfacegan.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.npy.Npy;

/**
 * A tiny two-graph GAN with a backbone's exact I/O layout, written as ONNX by {@link OnnxWriter}
 * plus a model descriptor, with a Java reference of what it computes.
 *
 * <p>mapping: {@code w = tanh(z Wm + bm)} per component, z [n, (C,) Z] -> w [n, (C,) D];
 * synthesis: {@code img = tanh(flat(ws) Ws)} reshaped to [n, 3, R, R], ws [n, (C,) L, D], and
 * optionally {@code identity = flat(ws) Wg} [n, 4] and {@code nuisance = flat(ws) Wn} [n, 3]. Weights are closed formulas of their indices
 * (see {@link #weight}) so tools/fixtures/tiny_gan_torchscript.py can build the same network as
 * TorchScript.
 */
public final class TinyGan {
    /**
     * The layout of a backbone's tiny model.
     *
     * @param components    0 for a [dim] latent, else k+1 components (global last)
     * @param staticBatch   batch size baked into the synthesis graph, 0 for dynamic
     */
    public record Spec(String backbone, int components, int zDim, int wDim, int numWs, int resolution, int staticBatch) {
        int c() {
            return Math.max(1, components);
        }

        /** Flattened w+ size, the synthesis matrix's rows. */
        public int wPlusSize() {
            return c() * numWs * wDim;
        }

        public int imageSize() {
            return 3 * resolution * resolution;
        }
    }

    public static final int IDENTITY_DIM = 4;
    public static final int NUISANCE_DIM = 3;

    private final Spec spec;
    private final float[] wm;
    private final float[] bm;
    private final float[] ws;
    private final float[] wg;
    private final float[] wAvg;
    private final float[] wn;

    public TinyGan(Spec spec) {
        this.spec = spec;
        int k = spec.wPlusSize();
        wm = matrix(1, spec.zDim(), spec.wDim(), 1.2 / Math.sqrt(spec.zDim()));
        bm = matrix(2, 1, spec.wDim(), 0.1);
        ws = matrix(3, k, spec.imageSize(), 2.0 / Math.sqrt(k));
        wg = matrix(4, k, IDENTITY_DIM, 1.0);
        wAvg = matrix(5, spec.c(), spec.wDim(), 0.3);
        wn = matrix(6, k, NUISANCE_DIM, 1.0);
    }

    public Spec spec() {
        return spec;
    }

    /**
     * Weight (r, c) of matrix {@code id} (1 mapping, 2 mapping bias, 3 synthesis, 4 identity, 5 w_avg, 6 nuisance):
     * {@code scale * sin(0.37 r + 0.91 c + 0.53 id)} in double, rounded to float.
     */
    public static float weight(int id, int r, int c, double scale) {
        return (float) (scale * StrictMath.sin(0.37 * r + 0.91 * c + 0.53 * id));
    }

    private static float[] matrix(int id, int rows, int cols, double scale) {
        float[] m = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r * cols + c] = weight(id, r, c, scale);
            }
        }
        return m;
    }

    /** Mean w per component, [C, D] flattened. */
    public float[] wAvg() {
        return wAvg.clone();
    }

    /** Reference mapping: z [n, (C,) Z] -> w [n, (C,) D]. */
    public float[] map(float[] z, int n) {
        int rows = n * spec.c();
        float[] w = new float[rows * spec.wDim()];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < spec.wDim(); j++) {
                double s = bm[j];
                for (int i = 0; i < spec.zDim(); i++) {
                    s += (double) z[r * spec.zDim() + i] * wm[i * spec.wDim() + j];
                }
                w[r * spec.wDim() + j] = (float) Math.tanh(s);
            }
        }
        return w;
    }

    /** Reference synthesis: w+ [n, K] -> image values [n, 3, R, R] in (-1, 1). */
    public float[] synthesize(float[] wPlus, int n) {
        float[] lin = product(wPlus, n, ws, spec.imageSize());
        for (int i = 0; i < lin.length; i++) {
            lin[i] = (float) Math.tanh(lin[i]);
        }
        return lin;
    }

    /** Reference ground truth: w+ [n, K] -> [n, 4]. */
    public float[] identity(float[] wPlus, int n) {
        return product(wPlus, n, wg, IDENTITY_DIM);
    }

    /** Reference nuisance ground truth: w+ [n, K] -> [n, 3]. */
    public float[] nuisance(float[] wPlus, int n) {
        return product(wPlus, n, wn, NUISANCE_DIM);
    }

    private float[] product(float[] x, int n, float[] m, int cols) {
        int k = spec.wPlusSize();
        float[] out = new float[n * cols];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += (double) x[r * k + i] * m[i * cols + j];
                }
                out[r * cols + j] = (float) s;
            }
        }
        return out;
    }

    /** Options of {@link #write}. */
    public static final class Options {
        boolean wAvgNpy;
        boolean externalData;
        boolean groundTruth;
        boolean nuisance;
        boolean mappingWPlus;
        Path torchScript;
        boolean onnx = true;
        boolean combined;

        /** One ONNX graph generator.onnx with both paths (inputs z and ws, outputs w and img). */
        public Options combined() {
            combined = true;
            return this;
        }

        /** Store w_avg as w_avg.npy instead of inline. */
        public Options wAvgNpy() {
            wAvgNpy = true;
            return this;
        }

        /** Write the synthesis weights to synthesis.onnx.data, as the dynamo exporter does. */
        public Options externalData() {
            externalData = true;
            return this;
        }

        /** Add the "identity" ground-truth output to the synthesis graph. */
        public Options groundTruth() {
            groundTruth = true;
            return this;
        }

        /** Add the "nuisance" ground-truth output to the synthesis graph. */
        public Options nuisance() {
            nuisance = true;
            return this;
        }

        /** Mapping returns w broadcast to [n, (C,) L, D], like the official mapping networks. */
        public Options mappingWPlus() {
            mappingWPlus = true;
            return this;
        }

        /** Also list TorchScript files mapping.pt and synthesis.pt copied from {@code folder}. */
        public Options torchScript(Path folder) {
            torchScript = folder;
            return this;
        }

        /** Leave out the ONNX files (TorchScript only). */
        public Options noOnnx() {
            onnx = false;
            return this;
        }
    }

    /** Writes the model files into {@code dir} and returns the descriptor as a mutable JSON tree. */
    public Map<String, Object> write(Path dir, Options o) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> mapping = new LinkedHashMap<>();
            Map<String, Object> synthesis = new LinkedHashMap<>();
            if (o.onnx) {
                String mappingName = o.combined ? "generator.onnx" : "mapping.onnx";
                String synthesisName = o.combined ? "generator.onnx" : "synthesis.onnx";
                if (o.combined) {
                    OnnxWriter g = new OnnxWriter("tiny_generator").externalData(o.externalData);
                    addMapping(g, o.mappingWPlus);
                    addSynthesis(g, o);
                    g.write(dir.resolve("generator.onnx"));
                } else {
                    writeMapping(dir.resolve(mappingName), o.mappingWPlus);
                    writeSynthesis(dir.resolve(synthesisName), o);
                }
                mapping.put("onnx", object("file", mappingName));
                Map<String, Object> s = object("file", synthesisName);
                if (spec.staticBatch() > 0) {
                    s.put("static_batch", spec.staticBatch());
                }
                if (o.externalData) {
                    s.put("external_data", synthesisName + ".data");
                }
                synthesis.put("onnx", s);
            }
            if (o.torchScript != null) {
                Files.copy(o.torchScript.resolve("mapping.pt"), dir.resolve("mapping.pt"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(o.torchScript.resolve("synthesis.pt"), dir.resolve("synthesis.pt"), StandardCopyOption.REPLACE_EXISTING);
                mapping.put("torchscript", object("file", "mapping.pt"));
                synthesis.put("torchscript", object("file", "synthesis.pt"));
            }
            if (o.groundTruth) {
                synthesis.put("ground_truth_output", "identity");
            }
            if (o.nuisance) {
                synthesis.put("nuisance_output", "nuisance");
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("format_version", 1);
            d.put("backbone", spec.backbone());
            d.put("z_dim", spec.zDim());
            d.put("w_dim", spec.wDim());
            d.put("num_ws", spec.numWs());
            if (spec.components() > 0) {
                d.put("components", spec.components());
            }
            d.put("resolution", spec.resolution());
            d.put("output_range", List.of(-1, 1));
            d.put("channel_order", "RGB");
            if (o.wAvgNpy) {
                long[] shape = spec.components() > 0 ? new long[] {spec.components(), spec.wDim()} : new long[] {spec.wDim()};
                Npy.write(dir.resolve("w_avg.npy"), wAvg, shape);
                d.put("w_avg", "w_avg.npy");
            } else if (spec.components() > 0) {
                List<Object> rows = new ArrayList<>();
                for (int c = 0; c < spec.components(); c++) {
                    rows.add(floats(wAvg, c * spec.wDim(), spec.wDim()));
                }
                d.put("w_avg", rows);
            } else {
                d.put("w_avg", floats(wAvg, 0, spec.wDim()));
            }
            d.put("mapping", mapping);
            d.put("synthesis", synthesis);
            d.put("source", object("note", "tiny test model"));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the model files and the descriptor {@code descriptor.json}; returns its path. */
    public Path writeAll(Path dir, Options o) {
        return writeDescriptor(dir.resolve("descriptor.json"), write(dir, o));
    }

    private long[] latent(long batch, int last) {
        return spec.components() > 0 ? new long[] {batch, spec.components(), last} : new long[] {batch, last};
    }

    private void writeMapping(Path file, boolean wPlus) {
        OnnxWriter g = new OnnxWriter("tiny_mapping");
        addMapping(g, wPlus);
        g.write(file);
    }

    private void addMapping(OnnxWriter g, boolean wPlus) {
        g.input("z", latent(-1, spec.zDim()));
        g.initializer("Wm", wm, spec.zDim(), spec.wDim());
        g.initializer("bm", bm, spec.wDim());
        g.node("MatMul", List.of("z", "Wm"), List.of("zw"));
        g.node("Add", List.of("zw", "bm"), List.of("pre"));
        if (wPlus) {
            g.node("Tanh", List.of("pre"), List.of("w1"));
            g.int64s("axis", -2);
            g.node("Unsqueeze", List.of("w1", "axis"), List.of("w2"));
            g.int64s("reps", spec.components() > 0 ? new long[] {1, 1, spec.numWs(), 1} : new long[] {1, spec.numWs(), 1});
            g.node("Tile", List.of("w2", "reps"), List.of("w"));
            g.output("w", spec.components() > 0 ? new long[] {-1, spec.components(), spec.numWs(), spec.wDim()}
                    : new long[] {-1, spec.numWs(), spec.wDim()});
        } else {
            g.node("Tanh", List.of("pre"), List.of("w"));
            g.output("w", latent(-1, spec.wDim()));
        }
    }

    private void writeSynthesis(Path file, Options o) {
        OnnxWriter g = new OnnxWriter("tiny_synthesis").externalData(o.externalData);
        addSynthesis(g, o);
        g.write(file);
    }

    private void addSynthesis(OnnxWriter g, Options o) {
        long b = spec.staticBatch() > 0 ? spec.staticBatch() : -1;
        int r = spec.resolution();
        g.input("ws", spec.components() > 0 ? new long[] {b, spec.components(), spec.numWs(), spec.wDim()}
                : new long[] {b, spec.numWs(), spec.wDim()});
        g.int64s("flat_shape", -1, spec.wPlusSize());
        g.int64s("img_shape", -1, 3, r, r);
        g.initializer("Ws", ws, spec.wPlusSize(), spec.imageSize());
        g.node("Reshape", List.of("ws", "flat_shape"), List.of("flat"));
        g.node("MatMul", List.of("flat", "Ws"), List.of("lin"));
        g.node("Tanh", List.of("lin"), List.of("act"));
        g.node("Reshape", List.of("act", "img_shape"), List.of("img"));
        g.output("img", b, 3, r, r);
        if (o.groundTruth) {
            g.initializer("Wg", wg, spec.wPlusSize(), IDENTITY_DIM);
            g.node("MatMul", List.of("flat", "Wg"), List.of("identity"));
            g.output("identity", b, IDENTITY_DIM);
        }
        if (o.nuisance) {
            g.initializer("Wn", wn, spec.wPlusSize(), NUISANCE_DIM);
            g.node("MatMul", List.of("flat", "Wn"), List.of("nuisance"));
            g.output("nuisance", b, NUISANCE_DIM);
        }
    }

    private static Map<String, Object> object(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private static List<Object> floats(float[] data, int from, int count) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            l.add(data[from + i]);
        }
        return l;
    }

    /** Serialises a JSON tree of maps, lists, strings, numbers, booleans and null to {@code file}. */
    public static Path writeDescriptor(Path file, Object json) {
        StringBuilder b = new StringBuilder();
        toJson(json, b);
        try {
            Files.writeString(file, b.append('\n').toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void toJson(Object v, StringBuilder b) {
        if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            b.append(v);
        } else if (v instanceof Number n) {
            b.append(Double.toString(n.doubleValue()));
        } else if (v instanceof String s) {
            b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep);
                toJson(e.getKey().toString(), b);
                b.append(": ");
                toJson(e.getValue(), b);
                sep = ", ";
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            String sep = "";
            for (Object x : l) {
                b.append(sep);
                toJson(x, b);
                sep = ", ";
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("not JSON: " + v);
        }
    }
}
