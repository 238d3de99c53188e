package org.exfacegan.runner.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/** What every runtime's session shares: identity, specs, the closed state and input checks. */
public abstract class AbstractModelSession implements ModelSession {
    private final Path file;
    private final String runtime;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final boolean anyBatch;
    private volatile boolean closed;

    protected AbstractModelSession(Path file, String runtime, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this(file, runtime, inputs, outputs, false);
    }

    /** With {@code anyBatch}, {@link #run} accepts any leading dimension (the session splits batches itself). */
    protected AbstractModelSession(Path file, String runtime, List<TensorSpec> inputs, List<TensorSpec> outputs,
            boolean anyBatch) {
        this.anyBatch = anyBatch;
        this.file = file;
        this.runtime = runtime;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String runtime() {
        return runtime;
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public final Map<String, FloatTensor> run(Map<String, FloatTensor> given) {
        checkOpen();
        checkInputs(given, anyBatch);
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
     * shapes; with {@code anyBatch} the leading dimension is not compared (it is split later).
     */
    private void checkInputs(Map<String, FloatTensor> given, boolean anyBatch) {
        for (TensorSpec spec : inputs) {
            FloatTensor t = given.get(spec.name());
            if (t == null) {
                throw new ExfaceganException("model " + file + ": input '" + spec.name() + "' is missing (model inputs "
                        + inputs + ", given " + given.keySet() + ")");
            }
            long[] actual = t.shape();
            long[] expected = spec.shape();
            if (anyBatch && expected.length > 0 && actual.length == expected.length) {
                expected[0] = TensorSpec.DYNAMIC;
            }
            if (!new TensorSpec(spec.name(), expected).accepts(actual)) {
                throw new ExfaceganException("model " + file + ": input '" + spec.name() + "' expects shape "
                        + FloatTensor.shapeString(spec.shape()) + " but got " + FloatTensor.shapeString(actual));
            }
        }
        for (String name : given.keySet()) {
            if (inputs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new ExfaceganException("model " + file + " has no input '" + name + "' (model inputs " + inputs + ")");
            }
        }
    }
}
