package org.exfacegan.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * Runs inputs of any batch size on a session: every input of rank >= 1 is split along dimension 0
 * into chunks of the batch size (rank-0 inputs and the inputs declared unbatched, such as a
 * StyleGAN3 input transform, go whole to every chunk), and each output's chunks are concatenated in
 * order. A model whose batched inputs have a fixed leading dimension (a static batch, e.g. StyleGAN3
 * exports) is fed chunks of exactly that size; the last chunk is padded by repeating its last row,
 * and only the real rows are returned. Closing this closes the wrapped session.
 */
public final class BatchingSession extends AbstractModelSession {
    private final ModelSession inner;
    private final int batchSize;
    /** Inputs without a batch dimension: given whole to every chunk, never split or padded. */
    private final Set<String> unbatched;
    /** The inputs last seen and their static batch: specs change only when an undescribed model adopts some. */
    private volatile Layout layout = new Layout(List.of(), -1);

    private record Layout(List<TensorSpec> inputs, long fixed) {}

    public BatchingSession(ModelSession inner, int batchSize) {
        this(inner, batchSize, Set.of());
    }

    public BatchingSession(ModelSession inner, int batchSize, Set<String> unbatchedInputs) {
        super(inner.file(), inner.runtime(), List.of(), List.of(), true);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.inner = inner;
        this.batchSize = batchSize;
        this.unbatched = Set.copyOf(unbatchedInputs);
        fixedBatch();
    }

    private long fixedBatch() {
        List<TensorSpec> in = inner.inputs();
        Layout l = layout;
        if (l.inputs() != in) {
            l = new Layout(in, staticBatch(inner, unbatched));
            layout = l;
        }
        return l.fixed();
    }

    // the wrapped session owns the layout (an undescribed TorchScript session adopts one on expect)
    @Override
    public List<TensorSpec> inputs() {
        return inner.inputs();
    }

    @Override
    public List<TensorSpec> outputs() {
        return inner.outputs();
    }

    @Override
    public boolean isDescribed() {
        return !(inner instanceof AbstractModelSession a) || a.isDescribed();
    }

    @Override
    public void expect(List<TensorSpec> expectedInputs, List<TensorSpec> expectedOutputs) {
        checkOpen();
        inner.expect(expectedInputs, expectedOutputs);
    }

    /** The model's static batch size, or -1 when its batch dimension is dynamic. */
    private static long staticBatch(ModelSession s, Set<String> unbatched) {
        long fixed = -1;
        for (TensorSpec t : s.inputs()) {
            if (t.rank() == 0 || t.isDynamic(0) || unbatched.contains(t.name())) {
                continue;
            }
            long d = t.shape()[0];
            if (fixed >= 0 && d != fixed) {
                throw new ExfaceganException("model " + s.file() + ": inputs have different fixed batch sizes "
                        + s.inputs() + "; cannot split batches for it");
            }
            fixed = d;
        }
        if (fixed == 0) {
            throw new ExfaceganException("model " + s.file() + " has a fixed batch size of 0: " + s.inputs());
        }
        return fixed;
    }

    /** Rows per call into the model: its static batch size, or the configured batch size. */
    public int chunkSize() {
        long fixed = fixedBatch();
        return fixed > 0 ? (int) fixed : batchSize;
    }

    public boolean hasStaticBatch() {
        return fixedBatch() > 0;
    }

    @Override
    protected Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given) {
        long fixed = fixedBatch();
        boolean staticBatch = fixed > 0;
        int chunk = staticBatch ? (int) fixed : batchSize;
        int rows = -1;
        for (Map.Entry<String, FloatTensor> e : given.entrySet()) {
            FloatTensor t = e.getValue();
            if (whole(e.getKey(), t)) {
                continue;
            }
            if (rows >= 0 && t.dim(0) != rows) {
                throw new ExfaceganException("model " + file() + ": inputs have different batch sizes "
                        + describe(given) + "; all must have the same leading dimension");
            }
            rows = (int) t.dim(0);
        }
        if (rows < 0 || (staticBatch ? rows == chunk : rows <= chunk && rows > 0)) {
            return inner.run(given);
        }
        if (rows == 0) {
            return emptyOutputs();
        }
        final int total = rows;
        Map<String, float[]> buffers = new LinkedHashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        for (int from = 0; from < rows; from += chunk) {
            int to = Math.min(rows, from + chunk);
            int fed = staticBatch ? chunk : to - from;
            Map<String, FloatTensor> part = new HashMap<>();
            for (Map.Entry<String, FloatTensor> e : given.entrySet()) {
                FloatTensor t = e.getValue();
                part.put(e.getKey(), whole(e.getKey(), t) ? t : rows(t, from, to, fed));
            }
            for (Map.Entry<String, FloatTensor> e : inner.run(part).entrySet()) {
                FloatTensor out = e.getValue();
                if (out.rank() == 0 || out.dim(0) != fed) {
                    throw new ExfaceganException("model " + file() + ": output '" + e.getKey() + "' has shape "
                            + FloatTensor.shapeString(out.shape()) + " for a batch of " + fed
                            + " rows, so its batches cannot be split; use a batch size of at least " + rows);
                }
                int item = out.itemSize();
                float[] buf = buffers.computeIfAbsent(e.getKey(), k -> {
                    long[] s = out.shape();
                    s[0] = total;
                    shapes.put(k, s);
                    return new float[Math.multiplyExact(total, item)];
                });
                System.arraycopy(out.data(), 0, buf, from * item, (to - from) * item);
            }
        }
        Map<String, FloatTensor> result = new LinkedHashMap<>();
        buffers.forEach((name, data) -> result.put(name, new FloatTensor(shapes.get(name), data)));
        return result;
    }

    /** True for an input given whole to every chunk: a scalar, or one declared unbatched. */
    private boolean whole(String name, FloatTensor t) {
        return t.rank() == 0 || unbatched.contains(name);
    }

    /** Rows [from, to) of t, padded to {@code fed} rows by repeating the last one. */
    private static FloatTensor rows(FloatTensor t, int from, int to, int fed) {
        if (to - from == fed) {
            return from == 0 && to == t.dim(0) ? t : t.slice(from, to);
        }
        int item = t.itemSize();
        float[] data = new float[fed * item];
        System.arraycopy(t.data(), from * item, data, 0, (to - from) * item);
        for (int r = to - from; r < fed; r++) {
            System.arraycopy(t.data(), (to - 1) * item, data, r * item, item);
        }
        long[] s = t.shape();
        s[0] = fed;
        return new FloatTensor(s, data);
    }

    /** Zero-row outputs, possible only when every other output dimension is known. */
    private Map<String, FloatTensor> emptyOutputs() {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : outputs()) {
            long[] s = spec.shape();
            if (s.length == 0) {
                throw new ExfaceganException("model " + file() + ": cannot run an empty batch (output '"
                        + spec.name() + "' is a scalar)");
            }
            s[0] = 0;
            for (long d : s) {
                if (d < 0) {
                    throw new ExfaceganException("model " + file() + ": cannot run an empty batch (output '"
                            + spec.name() + "' has dynamic dimensions " + spec + ")");
                }
            }
            out.put(spec.name(), new FloatTensor(s, new float[0]));
        }
        return out;
    }

    private static String describe(Map<String, FloatTensor> given) {
        List<String> parts = new ArrayList<>();
        given.forEach((k, v) -> parts.add(k + FloatTensor.shapeString(v.shape())));
        return parts.toString();
    }

    @Override
    protected void release() {
        inner.close();
    }
}
