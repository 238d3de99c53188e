package org.exfacegan.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * What every runtime's session shares: identity, specs, the closed state and input checks.
 * A session may start undescribed (null specs: a TorchScript file names neither inputs nor
 * outputs); it then adopts the layout the plugin passes to {@link #expect}.
 */
public abstract class AbstractModelSession implements ModelSession {
    private final Path file;
    private final String runtime;
    private final boolean anyBatch;
    private volatile List<TensorSpec> inputs;
    private volatile List<TensorSpec> outputs;
    private volatile boolean closed;

    protected AbstractModelSession(Path file, String runtime, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this(file, runtime, inputs, outputs, false);
    }

    /**
     * @param inputs   null together with {@code outputs} when the model file does not describe them
     * @param anyBatch {@link #run} accepts any leading dimension (the session splits batches itself)
     */
    protected AbstractModelSession(Path file, String runtime, List<TensorSpec> inputs, List<TensorSpec> outputs,
            boolean anyBatch) {
        this.anyBatch = anyBatch;
        this.file = file;
        this.runtime = runtime;
        this.inputs = inputs == null ? null : List.copyOf(inputs);
        this.outputs = outputs == null ? null : List.copyOf(outputs);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String runtime() {
        return runtime;
    }

    /** Empty while the model is undescribed. */
    @Override
    public List<TensorSpec> inputs() {
        List<TensorSpec> in = inputs;
        return in == null ? List.of() : in;
    }

    @Override
    public List<TensorSpec> outputs() {
        List<TensorSpec> out = outputs;
        return out == null ? List.of() : out;
    }

    /** False while the model file named no inputs/outputs and no plugin layout was adopted. */
    public boolean isDescribed() {
        return inputs != null;
    }

    /** An undescribed session takes the expected layout as its own (inputs and outputs by position). */
    @Override
    public void expect(List<TensorSpec> expectedInputs, List<TensorSpec> expectedOutputs) {
        synchronized (this) {
            if (inputs == null) {
                outputs = List.copyOf(expectedOutputs);
                inputs = List.copyOf(expectedInputs);
            }
        }
        ModelSession.super.expect(expectedInputs, expectedOutputs);
    }

    @Override
    public final Map<String, FloatTensor> run(Map<String, FloatTensor> given) {
        checkOpen();
        if (!isDescribed()) {
            throw new ExfaceganException("model " + file + " does not describe its inputs and outputs; "
                    + "describe them (see docs/runtimes.md) or call expect() with the layout the plugin uses");
        }
        checkInputs(given);
        return runChecked(given);
    }

    /** Runs inputs already checked against {@link #inputs()}. */
    protected abstract Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given);

    /** Releases native resources; called once. */
    protected abstract void release();

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    public final boolean isClosed() {
        return closed;
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model session for " + file + " is closed");
        }
    }

    /**
     * Throws ExfaceganException unless {@code given} holds exactly the model's inputs with fitting
     * shapes (the leading dimension is not compared with anyBatch: it is split later).
     */
    private void checkInputs(Map<String, FloatTensor> given) {
        List<TensorSpec> specs = inputs();
        for (TensorSpec spec : specs) {
            FloatTensor t = given.get(spec.name());
            if (t == null) {
                throw new ExfaceganException("model " + file + ": input '" + spec.name() + "' is missing (model inputs "
                        + specs + ", given " + given.keySet() + ")");
            }
            if (!fits(spec.shape(), t, anyBatch)) {
                throw new ExfaceganException("model " + file + ": input '" + spec.name() + "' expects shape "
                        + FloatTensor.shapeString(spec.shape()) + " but got " + FloatTensor.shapeString(t.shape()));
            }
        }
        if (given.size() != specs.size()) {
            for (String name : given.keySet()) {
                if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                    throw new ExfaceganException("model " + file + " has no input '" + name + "' (model inputs "
                            + specs + ")");
                }
            }
        }
    }

    private static boolean fits(long[] expected, FloatTensor t, boolean anyBatch) {
        if (expected.length != t.rank()) {
            return false;
        }
        for (int i = anyBatch ? 1 : 0; i < expected.length; i++) {
            if (expected[i] >= 0 && expected[i] != t.dim(i)) {
                return false;
            }
        }
        return true;
    }
}
