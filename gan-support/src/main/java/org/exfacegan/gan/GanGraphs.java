package org.exfacegan.gan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * The mapping (z -> w) and synthesis (w+ -> image) graphs of a descriptor, opened through the
 * host and checked against the latent shapes the plugin expects. One graph may hold both paths
 * (mapping and synthesis name the same file); each call then feeds zeros to the idle one.
 */
public final class GanGraphs implements AutoCloseable {
    private final GanModel model;
    private final GanShapes shapes;
    private final GanModel.GraphFile mappingFile;
    private final GanModel.GraphFile synthesisFile;
    private final ModelSession mapping;
    private final ModelSession synthesis;
    private final boolean combined;

    /**
     * Opens both graphs; the synthesis inputs in {@code constantInputs} (noise buffers, an input
     * transform) have no batch dimension: they are checked against the model and given whole with
     * every batch.
     */
    public GanGraphs(PluginContext context, GanModel model, GanShapes shapes, Map<String, FloatTensor> constantInputs) {
        this.model = model;
        this.shapes = shapes;
        String format = chooseFormat(model, context.options());
        mappingFile = model.mapping().file(format, model.file());
        synthesisFile = model.synthesis().file(format, model.file());
        ModelOptions options = context.options();
        combined = mappingFile.file().equals(synthesisFile.file());
        Set<String> unbatched = constantInputs.keySet();
        ModelSession m = context.models().open(mappingFile.file(), options, combined ? unbatched : Set.of());
        ModelSession s = null;
        try {
            s = combined ? m : context.models().open(synthesisFile.file(), options, unbatched);
            checkMapping(m);
            checkSynthesis(s, constantInputs);
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

    /**
     * The file format to run: the one the configured runtime reads, else the descriptor's preferred
     * format, else ONNX when both graphs have it, else TorchScript.
     */
    static String chooseFormat(GanModel d, ModelOptions options) {
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
        int[] z = shapes.z();
        int[] w = shapes.w();
        describe(m, mappingFile, z, w);
        checkTensor(m, mappingFile, "input", mappingFile.input(), m.inputs(), List.of(z));
        // the official mapping broadcasts to num_ws copies; accept either form
        checkTensor(m, mappingFile, "output", mappingFile.output(), m.outputs(), List.of(w, shapes.wPlus()));
    }

    private void checkSynthesis(ModelSession s, Map<String, FloatTensor> constantInputs) {
        int[] image = imageShape();
        describe(s, synthesisFile, shapes.wPlus(), image);
        checkTensor(s, synthesisFile, "input", synthesisFile.input(), s.inputs(), List.of(shapes.wPlus()));
        checkTensor(s, synthesisFile, "output", synthesisFile.output(), s.outputs(), List.of(image));
        for (String[] extra : new String[][] {{model.groundTruthOutput(), "ground_truth_output"},
            {model.nuisanceOutput(), "nuisance_output"}}) {
            if (extra[0] != null && s.outputs().stream().noneMatch(t -> t.name().equals(extra[0]))) {
                throw mismatch(s, "has no output '" + extra[0] + "' (synthesis." + extra[1] + ")");
            }
        }
        constantInputs.forEach((name, value) -> {
            TensorSpec spec = s.inputs().stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
            if (spec == null && !s.inputs().isEmpty()) {
                throw mismatch(s, "has no input '" + name + "' (named in the descriptor's synthesis entry; model inputs: "
                        + s.inputs() + ")");
            }
            if (spec != null && !spec.accepts(value.shape())) {
                throw mismatch(s, "input '" + name + "' has shape " + FloatTensor.shapeString(spec.shape()) + " but the value "
                        + "fed to it, the same for every sample, has shape " + FloatTensor.shapeString(value.shape()));
            }
        });
    }

    private int[] imageShape() {
        int r = model.resolution();
        return model.nhwc() ? new int[] {r, r, 3} : new int[] {3, r, r};
    }

    /** A model file that names no inputs (TorchScript without its I/O description) takes our layout. */
    private void describe(ModelSession s, GanModel.GraphFile f, int[] input, int[] output) {
        if (s.inputs().isEmpty() && combined) {
            int r = model.resolution();
            s.expect(List.of(new TensorSpec(mappingFile.input(), batched(mappingFile, shapes.z())),
                            new TensorSpec(synthesisFile.input(), batched(synthesisFile, shapes.wPlus()))),
                    List.of(new TensorSpec(mappingFile.output(), batched(mappingFile, shapes.w())),
                            new TensorSpec(synthesisFile.output(), batched(synthesisFile, new int[] {3, r, r}))));
        } else if (s.inputs().isEmpty()) {
            s.expect(List.of(new TensorSpec(f.input(), batched(f, input))), List.of(new TensorSpec(f.output(), batched(f, output))));
        }
    }

    private static long[] batched(GanModel.GraphFile f, int[] item) {
        long[] s = GanShapes.batch(f.staticBatch() > 0 ? f.staticBatch() : 0, item);
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
    private void checkTensor(ModelSession s, GanModel.GraphFile f, String role, String name, List<TensorSpec> specs,
            List<int[]> allowed) {
        TensorSpec spec = specs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        if (spec == null) {
            throw mismatch(s, "has no " + role + " '" + name + "' (model " + role + "s: " + specs + ")");
        }
        long[] actual = spec.shape();
        boolean fits = false;
        List<String> expected = new ArrayList<>();
        for (int[] item : allowed) {
            long[] e = batched(f, item);
            fits |= fitsShape(e, actual);
            expected.add(FloatTensor.shapeString(e));
        }
        if (!fits) {
            throw mismatch(s, role + " '" + name + "' has shape " + FloatTensor.shapeString(actual) + ", expected "
                    + String.join(" or ", expected));
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
        return new ExfaceganException("model " + s.file() + " (from descriptor " + model.file() + ") " + what);
    }

    /** Name of the runtime running the graphs. */
    public String runtime() {
        return synthesis.runtime();
    }

    /**
     * The mapping graph's output for z [n, z...]: w [n, w...] or its broadcast w+ [n, w+...]
     * ({@code constants} reach a combined graph's idle synthesis path).
     */
    public FloatTensor map(FloatTensor z, Map<String, FloatTensor> constants) {
        FloatTensor out = run(mapping, mappingFile, mappingFile.output(), z, constants);
        int n = (int) z.dim(0);
        long[] w = GanShapes.batch(n, shapes.w());
        long[] wPlus = GanShapes.batch(n, shapes.wPlus());
        if (!Arrays.equals(out.shape(), w) && !Arrays.equals(out.shape(), wPlus)) {
            throw new ExfaceganException("mapping " + mappingFile.file() + " returned '" + mappingFile.output() + "' of shape "
                    + FloatTensor.shapeString(out.shape()) + ", expected " + FloatTensor.shapeString(w) + " or "
                    + FloatTensor.shapeString(wPlus));
        }
        return out;
    }

    /** The synthesis graph's image output for w+, with the constant inputs given whole. */
    public FloatTensor synthesize(FloatTensor wPlus, Map<String, FloatTensor> constants) {
        return run(synthesis, synthesisFile, synthesisFile.output(), wPlus, constants);
    }

    /** The synthesis graph's ground-truth output for w+, [n, factors]. */
    public FloatTensor groundTruth(FloatTensor wPlus, Map<String, FloatTensor> constants) {
        return factors(model.groundTruthOutput(), wPlus, constants);
    }

    /** The synthesis graph's nuisance output for w+, [n, factors]. */
    public FloatTensor nuisance(FloatTensor wPlus, Map<String, FloatTensor> constants) {
        return factors(model.nuisanceOutput(), wPlus, constants);
    }

    private FloatTensor factors(String output, FloatTensor wPlus, Map<String, FloatTensor> constants) {
        FloatTensor truth = run(synthesis, synthesisFile, output, wPlus, constants);
        int n = (int) wPlus.dim(0);
        return truth.reshape(n, n == 0 ? 0 : truth.data().length / n);
    }

    private FloatTensor run(ModelSession session, GanModel.GraphFile f, String output, FloatTensor input,
            Map<String, FloatTensor> constants) {
        Map<String, FloatTensor> in = new HashMap<>();
        if (session == synthesis) {
            in.putAll(constants); // the synthesis path's inputs without a batch dimension
        }
        in.put(f.input(), input);
        if (combined) {
            boolean mappingCall = f == mappingFile;
            GanModel.GraphFile idle = mappingCall ? synthesisFile : mappingFile;
            long[] shape = GanShapes.batch((int) input.dim(0), mappingCall ? shapes.wPlus() : shapes.z());
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

    private static int itemSize(long[] shape) {
        long size = 1;
        for (int i = 1; i < shape.length; i++) {
            size *= shape[i];
        }
        return Math.toIntExact(size);
    }

    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            if (!combined) {
                synthesis.close();
            }
        }
    }
}
