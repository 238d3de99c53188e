package org.exfacegan.api.backbone.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * A style-based GAN run as two graphs: mapping (z -> w) and synthesis (w+ -> image), described
 * by a {@link ModelDescriptor}. Latents are [dim] (StyleGAN) or [components, dim] (GANsformer,
 * global component last); w+ inserts the num_ws axis before the last one. Truncation pulls
 * toward the descriptor's w_avg on the first {@code cutoff} copies of w.
 */
public class GanBackbone implements Backbone {
    private final ModelDescriptor descriptor;
    private final LatentLayout layout;
    private final double psi;
    private final int cutoff;
    private final float[] wAvg;
    private final int components;
    private final ModelDescriptor.GraphFile mappingFile;
    private final ModelDescriptor.GraphFile synthesisFile;
    private final ModelSession mapping;
    private final ModelSession synthesis;
    /** One graph holds both paths (mapping and synthesis name the same file); each call feeds zeros to the idle one. */
    private final boolean combined;
    private boolean closed;

    /**
     * Opens both graphs through the host.
     *
     * @param psi      truncation psi (1 = none)
     * @param cutoff   number of leading w copies truncated (>= num_ws: all)
     * @param fitSpace "w" or "z"
     */
    public GanBackbone(PluginContext context, ModelDescriptor descriptor, double psi, int cutoff, String fitSpace) {
        checkOptions(psi, cutoff, fitSpace);
        this.descriptor = descriptor;
        this.psi = psi;
        this.cutoff = cutoff;
        this.wAvg = descriptor.wAvg();
        this.components = Math.max(1, descriptor.components());
        this.layout = new LatentLayout(descriptor.zShape(), descriptor.wShape(), descriptor.numWs(), fitSpace,
                descriptor.resolution());
        String format = chooseFormat(descriptor, context.options());
        mappingFile = descriptor.mapping().file(format, descriptor.file());
        synthesisFile = descriptor.synthesis().file(format, descriptor.file());
        ModelOptions options = context.options();
        combined = mappingFile.file().equals(synthesisFile.file());
        ModelSession m = context.models().open(mappingFile.file(), options);
        ModelSession s = null;
        try {
            s = combined ? m : context.models().open(synthesisFile.file(), options);
            checkMapping(m);
            checkSynthesis(s);
        } catch (RuntimeException e) {
            m.close();
            if (s != null && !combined) {
                s.close();
            }
            throw e;
        }
        mapping = m;
        synthesis = s;
    }

    /** Validates backbone options; the messages name the config option. */
    public static void checkOptions(double psi, int cutoff, String latentSpace) {
        if (!Double.isFinite(psi)) {
            throw new IllegalArgumentException("truncation_psi must be a finite number, got " + psi);
        }
        if (cutoff < 0) {
            throw new IllegalArgumentException("truncation_cutoff must be >= 0, got " + cutoff);
        }
        if (!"w".equals(latentSpace) && !"z".equals(latentSpace)) {
            throw new IllegalArgumentException("latent_space must be \"w\" or \"z\", got \"" + latentSpace + "\"");
        }
    }

    /**
     * The file format to run: the one the configured runtime reads, else the descriptor's preferred
     * format, else ONNX when both graphs have it, else TorchScript.
     */
    static String chooseFormat(ModelDescriptor d, ModelOptions options) {
        String runtime = options.runtime();
        if ("onnxruntime".equals(runtime)) {
            return "onnx";
        }
        if ("djl-pytorch".equals(runtime)) {
            return "torchscript";
        }
        if (d.format() != null) {
            return d.format();
        }
        boolean onnx = d.mapping().files().containsKey("onnx") && d.synthesis().files().containsKey("onnx");
        return onnx ? "onnx" : "torchscript";
    }

    private void checkMapping(ModelSession m) {
        int[] z = descriptor.zShape();
        int[] w = descriptor.wShape();
        describe(m, mappingFile, z, w);
        checkTensor(m, mappingFile, "input", mappingFile.input(), m.inputs(), List.of(z));
        // the official mapping broadcasts to num_ws copies; accept either form
        checkTensor(m, mappingFile, "output", mappingFile.output(), m.outputs(), List.of(w, descriptor.wPlusShape()));
    }

    private void checkSynthesis(ModelSession s) {
        int r = descriptor.resolution();
        int[] image = descriptor.imageLayout().equals("NHWC") ? new int[] {r, r, 3} : new int[] {3, r, r};
        describe(s, synthesisFile, descriptor.wPlusShape(), image);
        checkTensor(s, synthesisFile, "input", synthesisFile.input(), s.inputs(), List.of(descriptor.wPlusShape()));
        checkTensor(s, synthesisFile, "output", synthesisFile.output(), s.outputs(), List.of(image));
        checkExtraOutput(s, descriptor.synthesis().groundTruth(), "ground_truth_output");
        checkExtraOutput(s, descriptor.synthesis().nuisance(), "nuisance_output");
    }

    private void checkExtraOutput(ModelSession s, String output, String field) {
        if (output != null && s.outputs().stream().noneMatch(t -> t.name().equals(output))) {
            throw mismatch(s, "has no output '" + output + "' (synthesis." + field + ")");
        }
    }

    /** A model file that names no inputs (TorchScript without its I/O description) takes our layout. */
    private void describe(ModelSession s, ModelDescriptor.GraphFile f, int[] input, int[] output) {
        if (s.inputs().isEmpty() && combined) {
            int r = descriptor.resolution();
            s.expect(List.of(new TensorSpec(mappingFile.input(), batched(mappingFile, descriptor.zShape())),
                            new TensorSpec(synthesisFile.input(), batched(synthesisFile, descriptor.wPlusShape()))),
                    List.of(new TensorSpec(mappingFile.output(), batched(mappingFile, descriptor.wShape())),
                            new TensorSpec(synthesisFile.output(), batched(synthesisFile, new int[] {3, r, r}))));
        } else if (s.inputs().isEmpty()) {
            s.expect(List.of(new TensorSpec(f.input(), batched(f, input))), List.of(new TensorSpec(f.output(), batched(f, output))));
        }
    }

    private static long[] batched(ModelDescriptor.GraphFile f, int[] item) {
        long[] s = batchShape(f.staticBatch() > 0 ? f.staticBatch() : 0, item);
        if (f.staticBatch() == 0) {
            s[0] = TensorSpec.DYNAMIC;
        }
        return s;
    }

    /**
     * Checks one named tensor: its per-sample shape must be one of {@code allowed} (dimensions the
     * runtime reports as dynamic match anything) and its batch dimension must agree with the
     * descriptor's static_batch.
     */
    private void checkTensor(ModelSession s, ModelDescriptor.GraphFile f, String role, String name, List<TensorSpec> specs,
            List<int[]> allowed) {
        TensorSpec spec = specs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        if (spec == null) {
            throw mismatch(s, "has no " + role + " '" + name + "' (model " + role + "s: " + specs + ")");
        }
        long[] actual = spec.shape();
        boolean fits = false;
        List<String> shapes = new ArrayList<>();
        for (int[] item : allowed) {
            long[] expected = batched(f, item);
            fits |= fitsShape(expected, actual);
            shapes.add(FloatTensor.shapeString(expected));
        }
        if (!fits) {
            throw mismatch(s, role + " '" + name + "' has shape " + FloatTensor.shapeString(actual) + ", expected "
                    + String.join(" or ", shapes));
        }
        if (actual.length > 0 && f.staticBatch() == 0 && actual[0] >= 0) {
            throw mismatch(s, role + " '" + name + "' has a static batch of " + actual[0]
                    + " but the descriptor declares a dynamic batch (set \"static_batch\": " + actual[0] + ")");
        }
        if (actual.length > 0 && f.staticBatch() > 0 && actual[0] < 0) {
            throw mismatch(s, role + " '" + name + "' has a dynamic batch but the descriptor declares static_batch "
                    + f.staticBatch());
        }
    }

    /** Same rank and equal sizes where both are known (either side may be dynamic). */
    private static boolean fitsShape(long[] expected, long[] actual) {
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (actual[i] >= 0 && expected[i] >= 0 && actual[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private ExfaceganException mismatch(ModelSession s, String what) {
        return new ExfaceganException("model " + s.file() + " (from descriptor " + descriptor.file() + ") " + what);
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public double truncationPsi() {
        return psi;
    }

    public int truncationCutoff() {
        return cutoff;
    }

    /** Name of the runtime running the graphs. */
    public String runtime() {
        return synthesis.runtime();
    }

    @Override
    public LatentLayout layout() {
        return layout;
    }

    @Override
    public FloatTensor sampleZ(long seed, long firstIndex, int count) {
        ensureOpen();
        return new FloatTensor(batchShape(count, layout.zShape()), Latents.normal(seed, firstIndex, count, layout.zSize()));
    }

    @Override
    public FloatTensor map(FloatTensor z) {
        ensureOpen();
        int n = checkShape("z", z, layout.zShape());
        if (n == 0) {
            return new FloatTensor(batchShape(0, layout.wShape()), new float[0]);
        }
        FloatTensor out = run(mapping, mappingFile, mappingFile.output(), z.reshape(batchShape(n, layout.zShape())));
        long[] w = batchShape(n, layout.wShape());
        if (Arrays.equals(out.shape(), w)) {
            return out;
        }
        long[] wPlus = batchShape(n, descriptor.wPlusShape());
        if (!Arrays.equals(out.shape(), wPlus)) {
            throw new ExfaceganException("mapping " + mappingFile.file() + " returned '" + mappingFile.output() + "' of shape "
                    + FloatTensor.shapeString(out.shape()) + ", expected " + FloatTensor.shapeString(w) + " or "
                    + FloatTensor.shapeString(wPlus));
        }
        // before truncation every copy is the same: keep the first
        int dim = descriptor.wDim();
        int numWs = descriptor.numWs();
        float[] src = out.data();
        float[] dst = new float[n * components * dim];
        for (int nc = 0; nc < n * components; nc++) {
            System.arraycopy(src, nc * numWs * dim, dst, nc * dim, dim);
        }
        return new FloatTensor(w, dst);
    }

    @Override
    public FloatTensor truncate(FloatTensor w) {
        ensureOpen();
        int[] wShape = layout.wShape();
        int[] plusShape = descriptor.wPlusShape();
        long[] s = w.shape();
        float[] plus;
        int n;
        if (s.length == wShape.length + 1) {
            n = checkShape("w", w, wShape);
            plus = Latents.broadcast(w.data(), n, components, descriptor.numWs(), descriptor.wDim());
        } else {
            n = checkShape("w+", w, plusShape);
            plus = w.data().clone();
        }
        Latents.truncate(plus, n, components, descriptor.numWs(), descriptor.wDim(), wAvg, psi, cutoff);
        return new FloatTensor(batchShape(n, plusShape), plus);
    }

    @Override
    public ImageBatch synthesize(FloatTensor wPlus) {
        ensureOpen();
        int n = checkShape("w+", wPlus, descriptor.wPlusShape());
        int r = descriptor.resolution();
        if (n == 0) {
            return new ImageBatch(0, r, r, new byte[0]);
        }
        FloatTensor img = run(synthesis, synthesisFile, synthesisFile.output(), wPlus);
        return Images.toRgb8(img, descriptor.imageLayout().equals("NHWC"), descriptor.channelOrder().equals("BGR"),
                descriptor.rangeLow(), descriptor.rangeHigh());
    }

    @Override
    public FloatTensor fitLatents(FloatTensor z, FloatTensor w) {
        ensureOpen();
        FloatTensor chosen = layout.fitSpace().equals("w") ? w : z;
        int[] shape = layout.fitSpace().equals("w") ? layout.wShape() : layout.zShape();
        int n = checkShape(layout.fitSpace(), chosen, shape);
        return chosen.reshape(n, layout.fitDim());
    }

    @Override
    public ImageBatch render(FloatTensor fitLatents) {
        return synthesize(wPlusOf(fitLatents));
    }

    @Override
    public boolean hasGroundTruth() {
        return descriptor.synthesis().groundTruth() != null;
    }

    @Override
    public FloatTensor groundTruth(FloatTensor fitLatents) {
        if (!hasGroundTruth()) {
            return Backbone.super.groundTruth(fitLatents);
        }
        return extraOutput(fitLatents, descriptor.synthesis().groundTruth());
    }

    @Override
    public boolean hasNuisance() {
        return descriptor.synthesis().nuisance() != null;
    }

    @Override
    public FloatTensor nuisance(FloatTensor fitLatents) {
        if (!hasNuisance()) {
            return Backbone.super.nuisance(fitLatents);
        }
        return extraOutput(fitLatents, descriptor.synthesis().nuisance());
    }

    /** An extra synthesis output of the truncated w+ of fit-space latents, flattened to [n, f]. */
    private FloatTensor extraOutput(FloatTensor fitLatents, String output) {
        FloatTensor wPlus = wPlusOf(fitLatents);
        FloatTensor truth = run(synthesis, synthesisFile, output, wPlus);
        int n = (int) wPlus.dim(0);
        return truth.reshape(n, n == 0 ? 0 : truth.data().length / n);
    }

    /** Fit-space latents -> truncated w+ (mapping first when the fit space is z). */
    private FloatTensor wPlusOf(FloatTensor fit) {
        ensureOpen();
        long[] s = fit.shape();
        if (s.length != 2 || s[1] != layout.fitDim()) {
            throw new ExfaceganException("fit-space latents have shape " + FloatTensor.shapeString(s) + ", expected [n, "
                    + layout.fitDim() + "] (" + layout.fitSpace() + " space of " + descriptor.backbone() + ")");
        }
        int n = (int) s[0];
        FloatTensor w = layout.fitSpace().equals("w") ? fit.reshape(batchShape(n, layout.wShape()))
                : map(fit.reshape(batchShape(n, layout.zShape())));
        return truncate(w);
    }

    private FloatTensor run(ModelSession session, ModelDescriptor.GraphFile f, String output, FloatTensor input) {
        Map<String, FloatTensor> in = new HashMap<>();
        in.put(f.input(), input);
        if (combined) {
            boolean mappingCall = f == mappingFile;
            ModelDescriptor.GraphFile idle = mappingCall ? synthesisFile : mappingFile;
            long[] shape = batchShape((int) input.dim(0), mappingCall ? descriptor.wPlusShape() : descriptor.zShape());
            in.put(idle.input(), new FloatTensor(shape, new float[Math.toIntExact(shape[0] * itemSize(shape))]));
        }
        Map<String, FloatTensor> out = session.run(in);
        FloatTensor t = out.get(output);
        if (t == null) {
            throw new ExfaceganException("model " + f.file() + " returned no output '" + output + "' (it returned "
                    + out.keySet() + ")");
        }
        if (t.rank() == 0 || t.dim(0) != input.dim(0)) {
            throw new ExfaceganException("model " + f.file() + " returned '" + output + "' of shape "
                    + FloatTensor.shapeString(t.shape()) + " for a batch of " + input.dim(0));
        }
        return t;
    }

    /** Batch size of t after checking it is [n, item...]. */
    private int checkShape(String what, FloatTensor t, int[] item) {
        long[] s = t.shape();
        boolean ok = s.length == item.length + 1;
        for (int i = 0; ok && i < item.length; i++) {
            ok = s[i + 1] == item[i];
        }
        if (!ok) {
            throw new ExfaceganException(descriptor.backbone() + ": " + what + " has shape " + FloatTensor.shapeString(s)
                    + ", expected [n, " + Arrays.toString(item).substring(1));
        }
        return (int) s[0];
    }

    private static int itemSize(long[] shape) {
        long size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= shape[i];
        }
        return Math.toIntExact(size);
    }

    private static long[] batchShape(int n, int[] item) {
        long[] s = new long[item.length + 1];
        s[0] = n;
        for (int i = 0; i < item.length; i++) {
            s[i + 1] = item[i];
        }
        return s;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(descriptor.backbone() + " backbone " + descriptor.file() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mapping.close();
        } finally {
            if (!combined) {
                synthesis.close();
            }
        }
    }
}
