package org.exfacegan.api.backbone.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * A GAN model descriptor: the JSON file beside exported mapping and synthesis graphs that says
 * how to run them (fields documented in docs/backbones/descriptor.md). {@link #read} validates
 * it; every error names the descriptor file and the field as a JSON pointer.
 */
public final class ModelDescriptor {
    public static final int FORMAT_VERSION = 1;
    /** Model file formats, the keys of a graph's file entries. */
    public static final List<String> FORMATS = List.of("onnx", "torchscript");
    /**
     * Limits that keep a hostile descriptor from asking for absurd allocations; far above real
     * GANs (512-d latents, 18 w copies, 17 components, 1024 px).
     */
    public static final int MAX_DIM = 1 << 16;
    public static final int MAX_LAYERS = 1 << 10;
    public static final int MAX_RESOLUTION = 1 << 15;
    public static final int MAX_BATCH = 1 << 16;
    /** Elements of one w+ (components x num_ws x w_dim); real GANs have about 10,000. */
    public static final long MAX_LATENT_ELEMENTS = 1L << 22;
    /** Largest descriptor file read (inline w_avg included). */
    public static final long MAX_BYTES = 64L << 20;

    /**
     * One file of a graph in one format.
     *
     * @param staticBatch the batch size baked into the graph, 0 when the batch is dynamic
     * @param externalData weights stored beside an ONNX graph (must stay next to it), or null
     */
    public record GraphFile(String format, Path file, String input, String output, int staticBatch, Path externalData) {}

    /**
     * A graph (mapping or synthesis) with its files by format.
     *
     * @param groundTruth name of an extra output with true identity factors (demo worlds), or null
     * @param nuisance    name of an extra output with true nuisance factors (pose, light, expression; demo worlds), or null
     */
    public record Graph(String name, Map<String, GraphFile> files, String groundTruth, String nuisance) {
        /** The file of {@code format}; an error naming the descriptor when it has none. */
        public GraphFile file(String format, Path descriptor) {
            GraphFile f = files.get(format);
            if (f == null) {
                throw new ExfaceganException("model descriptor " + descriptor + ": /" + name + " has no \"" + format
                        + "\" file (it has " + files.keySet() + ")");
            }
            return f;
        }
    }

    private final Path file;
    private final String backbone;
    private final String format;
    private final int zDim;
    private final int wDim;
    private final int numWs;
    private final int components;
    private final int resolution;
    private final double rangeLow;
    private final double rangeHigh;
    private final String channelOrder;
    private final String imageLayout;
    private final float[] wAvg;
    private final Graph mapping;
    private final Graph synthesis;

    private ModelDescriptor(Node root, String expectedBackbone, boolean componentLayout) {
        file = root.file;
        root.allowOnly(Set.of("format_version", "backbone", "format", "z_dim", "w_dim", "num_ws", "components",
                "resolution", "output_range", "channel_order", "image_layout", "w_avg", "mapping", "synthesis", "source"));
        int version = root.integer("format_version", 1, Integer.MAX_VALUE);
        if (version != FORMAT_VERSION) {
            throw root.error("format_version", "expected " + FORMAT_VERSION + ", got " + version);
        }
        backbone = root.string("backbone");
        if (!backbone.equals(expectedBackbone)) {
            throw root.error("backbone", "expected \"" + expectedBackbone + "\", got \"" + backbone
                    + "\" (the descriptor is for another backbone plugin)");
        }
        format = root.has("format") ? root.choice("format", FORMATS) : null;
        zDim = root.integer("z_dim", 1, MAX_DIM);
        wDim = root.integer("w_dim", 1, MAX_DIM);
        numWs = root.integer("num_ws", 1, MAX_LAYERS);
        if (componentLayout) {
            components = root.integer("components", 2, MAX_LAYERS);
        } else {
            if (root.has("components")) {
                throw root.error("components", "this backbone has no latent components; remove the field");
            }
            components = 0;
        }
        long latent = (long) Math.max(components, 1) * numWs * Math.max(wDim, zDim);
        if (latent > MAX_LATENT_ELEMENTS) {
            throw root.error(componentLayout ? "components" : "num_ws", "a latent of " + latent + " elements ("
                    + (componentLayout ? components + " components x " : "") + numWs + " x " + Math.max(wDim, zDim)
                    + ") exceeds the limit of " + MAX_LATENT_ELEMENTS);
        }
        resolution = root.integer("resolution", 1, MAX_RESOLUTION);
        if (root.has("output_range")) {
            double[] range = root.numbers("output_range", 2);
            if (!(range[0] < range[1])) {
                throw root.error("output_range", "expected [low, high] with low < high, got " + Arrays.toString(range));
            }
            rangeLow = range[0];
            rangeHigh = range[1];
        } else {
            rangeLow = -1;
            rangeHigh = 1;
        }
        channelOrder = root.has("channel_order") ? root.choice("channel_order", List.of("RGB", "BGR")) : "RGB";
        imageLayout = root.has("image_layout") ? root.choice("image_layout", List.of("NCHW", "NHWC")) : "NCHW";
        wAvg = readWAvg(root);
        mapping = graph(root.object("mapping"), "z", "w", false);
        synthesis = graph(root.object("synthesis"), "ws", "img", true);
        if (format != null && !mapping.files.containsKey(format) || format != null && !synthesis.files.containsKey(format)) {
            throw root.error("format", "\"" + format + "\" is preferred but mapping and synthesis do not both have a \""
                    + format + "\" file");
        }
    }

    /**
     * Reads and validates a descriptor for the plugin named {@code backbone}. With
     * {@code componentLayout} latents are [components, dim] (GANsformer) and "components" is required.
     */
    public static ModelDescriptor read(Path descriptor, String backbone, boolean componentLayout) {
        Path abs = descriptor.toAbsolutePath().normalize();
        String text;
        try {
            if (Files.size(abs) > MAX_BYTES) {
                throw new ExfaceganException("model descriptor " + abs + ": file of " + Files.size(abs)
                        + " bytes exceeds the limit of " + MAX_BYTES);
            }
            text = Files.readString(abs, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read model descriptor " + abs + ": " + e, e);
        }
        Object json = Json.parse(text, "model descriptor " + abs);
        if (!(json instanceof Map<?, ?> map)) {
            throw new ExfaceganException("model descriptor " + abs + ": expected a JSON object at the top level");
        }
        return new ModelDescriptor(new Node(abs, "", map), backbone, componentLayout);
    }

    private float[] readWAvg(Node root) {
        int[] shape = wShape();
        Object v = root.get("w_avg");
        FloatTensor t;
        if (v instanceof String s) {
            t = Npy.read(root.existingFile("w_avg", s));
        } else if (v instanceof List<?>) {
            t = root.tensor("w_avg");
        } else {
            throw root.error("w_avg", "expected an array of numbers or the name of a .npy file, got " + Node.describe(v));
        }
        // one shared mean for all components (the official GANsformer keeps one) is broadcast
        long[] perComponent = Arrays.stream(shape).asLongStream().toArray();
        long[] shared = {wDim};
        if (Arrays.equals(t.shape(), perComponent)) {
            return t.data().clone();
        }
        if (components > 0 && Arrays.equals(t.shape(), shared)) {
            float[] out = new float[components * wDim];
            for (int c = 0; c < components; c++) {
                System.arraycopy(t.data(), 0, out, c * wDim, wDim);
            }
            return out;
        }
        throw root.error("w_avg", "expected shape " + FloatTensor.shapeString(perComponent)
                + (components > 0 ? " or " + FloatTensor.shapeString(shared) : "") + ", got " + FloatTensor.shapeString(t.shape()));
    }

    private Graph graph(Node g, String defaultInput, String defaultOutput, boolean synthesisGraph) {
        Set<String> allowed = new java.util.HashSet<>(Set.of("input", "output", "onnx", "torchscript"));
        if (synthesisGraph) {
            allowed.add("ground_truth_output");
            allowed.add("nuisance_output");
        }
        g.allowOnly(allowed);
        String input = g.has("input") ? g.string("input") : defaultInput;
        String output = g.has("output") ? g.string("output") : defaultOutput;
        Map<String, GraphFile> files = new LinkedHashMap<>();
        for (String fmt : FORMATS) {
            if (!g.has(fmt)) {
                continue;
            }
            Node f = g.object(fmt);
            f.allowOnly(Set.of("file", "input", "output", "static_batch", "external_data"));
            Path path = f.existingFile("file", f.string("file"));
            Path data = f.has("external_data") ? f.existingFile("external_data", f.string("external_data")) : null;
            int staticBatch = f.has("static_batch") && f.get("static_batch") != null ? f.integer("static_batch", 1, MAX_BATCH) : 0;
            files.put(fmt, new GraphFile(fmt, path, f.has("input") ? f.string("input") : input,
                    f.has("output") ? f.string("output") : output, staticBatch, data));
        }
        if (files.isEmpty()) {
            throw g.error(null, "expected at least one of " + FORMATS + " with a \"file\"");
        }
        String truth = synthesisGraph && g.has("ground_truth_output") ? g.string("ground_truth_output") : null;
        String nuisance = synthesisGraph && g.has("nuisance_output") ? g.string("nuisance_output") : null;
        String name = g.pointer.substring(1);
        return new Graph(name, Map.copyOf(files), truth, nuisance);
    }

    public Path file() {
        return file;
    }

    public String backbone() {
        return backbone;
    }

    /** The preferred format ("onnx" or "torchscript"), or null when the descriptor has no preference. */
    public String format() {
        return format;
    }

    public int zDim() {
        return zDim;
    }

    public int wDim() {
        return wDim;
    }

    public int numWs() {
        return numWs;
    }

    /** Latent components including the global one (last), 0 for a plain [dim] latent. */
    public int components() {
        return components;
    }

    public int resolution() {
        return resolution;
    }

    public double rangeLow() {
        return rangeLow;
    }

    public double rangeHigh() {
        return rangeHigh;
    }

    /** "RGB" or "BGR". */
    public String channelOrder() {
        return channelOrder;
    }

    /** "NCHW" or "NHWC". */
    public String imageLayout() {
        return imageLayout;
    }

    /** Mean w, shape {@link #wShape()}, flattened (copy). */
    public float[] wAvg() {
        return wAvg.clone();
    }

    public Graph mapping() {
        return mapping;
    }

    public Graph synthesis() {
        return synthesis;
    }

    /** Shape of one z: [z_dim] or [components, z_dim]. */
    public int[] zShape() {
        return components > 0 ? new int[] {components, zDim} : new int[] {zDim};
    }

    /** Shape of one w before broadcasting: [w_dim] or [components, w_dim]. */
    public int[] wShape() {
        return components > 0 ? new int[] {components, wDim} : new int[] {wDim};
    }

    /** Shape of one w+ (the synthesis input): [num_ws, w_dim] or [components, num_ws, w_dim]. */
    public int[] wPlusShape() {
        return components > 0 ? new int[] {components, numWs, wDim} : new int[] {numWs, wDim};
    }

    /** A JSON object with its pointer, giving typed fields with errors that name file and pointer. */
    private static final class Node {
        final Path file;
        final String pointer;
        final Map<?, ?> map;

        Node(Path file, String pointer, Map<?, ?> map) {
            this.file = file;
            this.pointer = pointer;
            this.map = map;
        }

        ExfaceganException error(String field, String what) {
            String p = field == null ? pointer : pointer + "/" + field;
            return new ExfaceganException("model descriptor " + file + ": " + (p.isEmpty() ? "/" : p) + ": " + what);
        }

        void allowOnly(Set<String> names) {
            List<String> unknown = new ArrayList<>();
            for (Object k : map.keySet()) {
                if (!names.contains(k)) {
                    unknown.add((String) k);
                }
            }
            if (!unknown.isEmpty()) {
                throw error(null, "unknown field(s) " + unknown + "; allowed: " + new java.util.TreeSet<>(names));
            }
        }

        boolean has(String field) {
            return map.containsKey(field);
        }

        Object get(String field) {
            if (!map.containsKey(field)) {
                throw error(field, "required field is missing");
            }
            return map.get(field);
        }

        String string(String field) {
            Object v = get(field);
            if (!(v instanceof String s) || s.isEmpty()) {
                throw error(field, "expected a non-empty string, got " + describe(v));
            }
            return s;
        }

        String choice(String field, List<String> allowed) {
            String s = string(field);
            if (!allowed.contains(s)) {
                throw error(field, "expected one of " + allowed + ", got \"" + s + "\"");
            }
            return s;
        }

        int integer(String field, int min, int max) {
            Object v = get(field);
            if (!(v instanceof Double d) || d != Math.rint(d) || d < min || d > max) {
                throw error(field, "expected an integer >= " + min + (max < Integer.MAX_VALUE ? " and <= " + max : "")
                        + ", got " + describe(v));
            }
            return d.intValue();
        }

        double[] numbers(String field, int count) {
            Object v = get(field);
            if (!(v instanceof List<?> list) || list.size() != count || !list.stream().allMatch(x -> x instanceof Double)) {
                throw error(field, "expected an array of " + count + " numbers, got " + describe(v));
            }
            return list.stream().mapToDouble(x -> (Double) x).toArray();
        }

        /** A nested array of numbers as a tensor (rectangular, at most 2-d). */
        FloatTensor tensor(String field) {
            List<?> list = (List<?>) get(field);
            if (!list.isEmpty() && list.get(0) instanceof List<?> first) {
                int cols = first.size();
                float[] out = new float[list.size() * cols];
                for (int r = 0; r < list.size(); r++) {
                    if (!(list.get(r) instanceof List<?> row) || row.size() != cols) {
                        throw error(field + "/" + r, "expected an array of " + cols + " numbers, got " + describe(list.get(r)));
                    }
                    fill(row, out, r * cols, field + "/" + r);
                }
                return FloatTensor.of(out, list.size(), cols);
            }
            float[] out = new float[list.size()];
            fill(list, out, 0, field);
            return FloatTensor.of(out, list.size());
        }

        private void fill(List<?> row, float[] out, int offset, String field) {
            for (int i = 0; i < row.size(); i++) {
                if (!(row.get(i) instanceof Double d) || !Double.isFinite(d)) {
                    throw error(field + "/" + i, "expected a finite number, got " + describe(row.get(i)));
                }
                out[offset + i] = d.floatValue();
            }
        }

        Node object(String field) {
            Object v = get(field);
            if (!(v instanceof Map<?, ?> m)) {
                throw error(field, "expected an object, got " + describe(v));
            }
            return new Node(file, pointer + "/" + field, m);
        }

        /** A path relative to the descriptor's folder that must exist. */
        Path existingFile(String field, String name) {
            Path p;
            try {
                p = file.getParent().resolve(name).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw error(field, "\"" + name + "\" is not a valid file name (" + e.getReason() + ")");
            }
            if (!Files.isRegularFile(p)) {
                throw error(field, "file " + p + " does not exist");
            }
            return p;
        }

        static String describe(Object v) {
            if (v == null) {
                return "null";
            }
            if (v instanceof String s) {
                return "\"" + s + "\"";
            }
            if (v instanceof Map) {
                return "an object";
            }
            if (v instanceof List<?> l) {
                return "an array of " + l.size();
            }
            String s = v.toString();
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
    }
}
