package org.exfacegan.gan;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.npy.Npy;
import org.exfacegan.npy.NpyException;

/**
 * A checked model descriptor: the {@link GanDescriptor} the host bound, with its values checked,
 * defaults applied and file names resolved beside it. Every error names the descriptor file and
 * the field as a JSON pointer, with the expected and the actual value.
 */
public final class GanModel {
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
    /** Elements of one w+ (vectors x num_ws x w_dim); real GANs have about 10,000. */
    public static final long MAX_LATENT_ELEMENTS = 1L << 22;

    /** Descriptor fields that only one architecture reads; the other plugins refuse them. */
    public enum ArchitectureField {
        COMPONENTS("/components", "latent components (a GANsformer field)"),
        TRANSFORM_INPUT("/synthesis/transform_input", "input transform (a StyleGAN3 field)"),
        NOISE_INPUTS("/synthesis/noise_inputs", "noise inputs (a StyleGAN2 field)");

        private final String pointer;
        private final String what;

        ArchitectureField(String pointer, String what) {
            this.pointer = pointer;
            this.what = what;
        }

        boolean presentIn(GanDescriptor d) {
            return switch (this) {
                case COMPONENTS -> d.components() != null;
                case TRANSFORM_INPUT -> d.synthesis().transformInput() != null;
                case NOISE_INPUTS -> d.synthesis().noiseInputs() != null;
            };
        }
    }

    /**
     * One file of a graph in one format, resolved.
     *
     * @param staticBatch  the batch size baked into the graph, 0 when the batch is dynamic
     * @param externalData weights stored beside an ONNX graph (must stay next to it), or null
     */
    public record GraphFile(String format, Path file, String input, String output, int staticBatch, Path externalData) {}

    /** A graph (mapping or synthesis) with its files by format. */
    public record Graph(String name, Map<String, GraphFile> files) {
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
    private final GanDescriptor d;
    private final double rangeLow;
    private final double rangeHigh;
    private final Graph mapping;
    private final Graph synthesis;
    private final Map<String, Path> noiseInputs;

    private GanModel(Path file, GanDescriptor d, String backbone, Set<ArchitectureField> reads) {
        this.file = file;
        this.d = d;
        if (d.formatVersion() != FORMAT_VERSION) {
            throw error("/format_version", "expected " + FORMAT_VERSION + ", got " + d.formatVersion());
        }
        if (!backbone.equals(d.backbone())) {
            throw error("/backbone", "expected \"" + backbone + "\", got \"" + d.backbone()
                    + "\" (the descriptor is for another backbone plugin)");
        }
        for (ArchitectureField f : ArchitectureField.values()) {
            if (!reads.contains(f) && f.presentIn(d)) {
                throw error(f.pointer, "the " + backbone + " backbone has no " + f.what + "; remove the field");
            }
        }
        if (d.format() != null) {
            choice("/format", d.format(), FORMATS);
        }
        range("/z_dim", d.zDim(), 1, MAX_DIM);
        range("/w_dim", d.wDim(), 1, MAX_DIM);
        range("/num_ws", d.numWs(), 1, MAX_LAYERS);
        range("/resolution", d.resolution(), 1, MAX_RESOLUTION);
        if (d.outputRange() != null) {
            double[] r = d.outputRange();
            if (r.length != 2 || !(r[0] < r[1]) || !Double.isFinite(r[0]) || !Double.isFinite(r[1])) {
                throw error("/output_range", "expected [low, high] with low < high, got " + Arrays.toString(r));
            }
        }
        rangeLow = d.outputRange() == null ? -1 : d.outputRange()[0];
        rangeHigh = d.outputRange() == null ? 1 : d.outputRange()[1];
        if (d.channelOrder() != null) {
            choice("/channel_order", d.channelOrder(), List.of("RGB", "BGR"));
        }
        if (d.imageLayout() != null) {
            choice("/image_layout", d.imageLayout(), List.of("NCHW", "NHWC"));
        }
        GanDescriptor.Synthesis s = d.synthesis();
        mapping = graph("mapping", d.mapping().input(), d.mapping().output(), d.mapping().onnx(), d.mapping().torchscript(),
                "z", "w");
        synthesis = graph("synthesis", s.input(), s.output(), s.onnx(), s.torchscript(), "ws", "img");
        if (s.groundTruthOutput() != null) {
            nonEmpty("/synthesis/ground_truth_output", s.groundTruthOutput());
        }
        if (s.nuisanceOutput() != null) {
            nonEmpty("/synthesis/nuisance_output", s.nuisanceOutput());
        }
        if (s.transformInput() != null) {
            nonEmpty("/synthesis/transform_input", s.transformInput());
        }
        noiseInputs = new LinkedHashMap<>();
        if (s.noiseInputs() != null) {
            s.noiseInputs().forEach((input, npy) -> {
                String at = "/synthesis/noise_inputs/" + input.replace("~", "~0").replace("/", "~1");
                nonEmpty(at, input);
                noiseInputs.put(input, existingFile(at, nonEmpty(at, npy)));
            });
        }
        String format = d.format();
        if (format != null && !(mapping.files().containsKey(format) && synthesis.files().containsKey(format))) {
            throw error("/format", "\"" + format + "\" is preferred but mapping and synthesis do not both have a \""
                    + format + "\" file");
        }
    }

    /**
     * Reads and checks the descriptor {@code context.model()} for the plugin named {@code backbone},
     * which reads the architecture fields {@code reads} (the others must be absent).
     */
    public static GanModel read(PluginContext context, String backbone, Set<ArchitectureField> reads) {
        Path file = context.model().toAbsolutePath().normalize();
        return new GanModel(file, context.readJson(file, GanDescriptor.class, "model descriptor"), backbone, reads);
    }

    /** An error about a field of this descriptor. */
    public ExfaceganException error(String pointer, String what) {
        return new ExfaceganException("model descriptor " + file + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + what);
    }

    private void range(String pointer, int value, int min, int max) {
        if (value < min || value > max) {
            throw error(pointer, "expected an integer >= " + min + " and <= " + max + ", got " + value);
        }
    }

    private void choice(String pointer, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw error(pointer, "expected one of " + allowed + ", got \"" + value + "\"");
        }
    }

    private String nonEmpty(String pointer, String value) {
        if (value == null || value.isEmpty()) {
            throw error(pointer, "expected a non-empty string, got " + (value == null ? "null" : "\"\""));
        }
        return value;
    }

    /** A path relative to the descriptor's folder that must exist. */
    public Path existingFile(String pointer, String name) {
        Path p;
        try {
            p = file.getParent().resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw error(pointer, "\"" + name + "\" is not a valid file name (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(p)) {
            throw error(pointer, "file " + p + " does not exist");
        }
        return p;
    }

    private Graph graph(String name, String input, String output, GanDescriptor.FileEntry onnx,
            GanDescriptor.FileEntry torchscript, String defaultInput, String defaultOutput) {
        String in = input == null ? defaultInput : nonEmpty("/" + name + "/input", input);
        String out = output == null ? defaultOutput : nonEmpty("/" + name + "/output", output);
        Map<String, GraphFile> files = new LinkedHashMap<>();
        GanDescriptor.FileEntry[] entries = {onnx, torchscript};
        for (int i = 0; i < FORMATS.size(); i++) {
            GanDescriptor.FileEntry f = entries[i];
            if (f == null) {
                continue;
            }
            String fmt = FORMATS.get(i);
            String at = "/" + name + "/" + fmt;
            Path path = existingFile(at + "/file", nonEmpty(at + "/file", f.file()));
            Path data = f.externalData() == null ? null : existingFile(at + "/external_data",
                    nonEmpty(at + "/external_data", f.externalData()));
            int staticBatch = 0;
            if (f.staticBatch() != null) {
                range(at + "/static_batch", f.staticBatch(), 1, MAX_BATCH);
                staticBatch = f.staticBatch();
            }
            files.put(fmt, new GraphFile(fmt, path, f.input() == null ? in : nonEmpty(at + "/input", f.input()),
                    f.output() == null ? out : nonEmpty(at + "/output", f.output()), staticBatch, data));
        }
        if (files.isEmpty()) {
            throw error("/" + name, "expected at least one of " + FORMATS + " with a \"file\"");
        }
        return new Graph(name, Map.copyOf(files));
    }

    /**
     * The descriptor's w_avg as given (inline numbers or a .npy file), refused before it is read
     * when it holds more than {@code maxElements} values.
     */
    public FloatTensor wAvg(long maxElements) {
        Object v = d.wAvg();
        if (v instanceof String name) {
            return npy("/w_avg", existingFile("/w_avg", nonEmpty("/w_avg", name)), maxElements);
        }
        if (v instanceof List<?> list) {
            return InlineArray.of(list, maxElements, this, "/w_avg");
        }
        throw error("/w_avg", "expected an array of numbers or the name of a .npy file, got " + InlineArray.describe(v));
    }

    /** A float32 or float64 .npy file named at {@code pointer}, as float values; errors name the field. */
    public FloatTensor npy(String pointer, Path file, long maxElements) {
        try {
            Npy.Array a = Npy.read(file, maxElements);
            float[] values = switch (a.dtype()) {
                case FLOAT32 -> a.floats();
                case FLOAT64 -> toFloats(a.doubles());
                default -> throw error(pointer, "file " + file + " holds " + a.dtype().descr()
                        + ", expected <f4 (float32) or <f8 (float64)");
            };
            return new FloatTensor(a.shape(), values);
        } catch (NpyException e) {
            throw error(pointer, e.getMessage());
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public Path file() {
        return file;
    }

    public String backbone() {
        return d.backbone();
    }

    /** The preferred format ("onnx" or "torchscript"), or null when the descriptor has no preference. */
    public String format() {
        return d.format();
    }

    public int zDim() {
        return d.zDim();
    }

    public int wDim() {
        return d.wDim();
    }

    public int numWs() {
        return d.numWs();
    }

    /** The components field as given (GANsformer reads it), or null. */
    public Integer components() {
        return d.components();
    }

    public int resolution() {
        return d.resolution();
    }

    public double rangeLow() {
        return rangeLow;
    }

    public double rangeHigh() {
        return rangeHigh;
    }

    public boolean bgr() {
        return "BGR".equals(d.channelOrder());
    }

    public boolean nhwc() {
        return "NHWC".equals(d.imageLayout());
    }

    public Graph mapping() {
        return mapping;
    }

    public Graph synthesis() {
        return synthesis;
    }

    /** The synthesis output with true identity factors, or null. */
    public String groundTruthOutput() {
        return d.synthesis().groundTruthOutput();
    }

    /** The synthesis output with true nuisance factors (pose, light, expression), or null. */
    public String nuisanceOutput() {
        return d.synthesis().nuisanceOutput();
    }

    /** The synthesis input holding the inverse input transform (StyleGAN3), or null. */
    public String transformInput() {
        return d.synthesis().transformInput();
    }

    /** Noise input name -> .npy file of its constant buffer, in descriptor order (StyleGAN2); empty when none. */
    public Map<String, Path> noiseInputs() {
        return Collections.unmodifiableMap(noiseInputs);
    }
}
