package org.exfacegan.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;
import org.junit.jupiter.api.Test;

/** Batching on a pure-Java fake model: twice = 2 a + k, pos = row index within the call. */
class BatchingSessionTest {
    /** Records the batch sizes it is called with; output 'pos' exposes padding mistakes. */
    static final class Fake extends AbstractModelSession {
        final List<Integer> calls = new ArrayList<>();
        boolean released;

        Fake(long batch) {
            super(Path.of("fake.onnx"), "fake", List.of(new TensorSpec("a", new long[] {batch, 2}),
                    new TensorSpec("b", new long[] {batch}), new TensorSpec("k", new long[0])),
                    List.of(new TensorSpec("twice", new long[] {batch, 2}), new TensorSpec("pos", new long[] {batch})));
        }

        @Override
        protected Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given) {
            FloatTensor a = given.get("a");
            float k = given.get("k").data()[0];
            int n = (int) a.dim(0);
            calls.add(n);
            float[] twice = new float[n * 2];
            float[] pos = new float[n];
            for (int i = 0; i < twice.length; i++) {
                twice[i] = 2 * a.data()[i] + k;
            }
            for (int r = 0; r < n; r++) {
                pos[r] = r;
            }
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            out.put("twice", FloatTensor.of(twice, n, 2));
            out.put("pos", FloatTensor.of(pos, n));
            return out;
        }

        @Override
        protected void release() {
            released = true;
        }
    }

    private static Map<String, FloatTensor> inputs(int rows) {
        float[] a = new float[rows * 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return Map.of("a", FloatTensor.of(a, rows, 2), "b", FloatTensor.of(new float[rows], rows),
                "k", FloatTensor.of(new float[] {0.5f}));
    }

    @Test
    void dynamicBatchSplitsIntoConfiguredChunks() {
        Fake fake = new Fake(-1);
        BatchingSession s = new BatchingSession(fake, 4);
        Map<String, FloatTensor> out = s.run(inputs(10));
        assertEquals(List.of(4, 4, 2), fake.calls);
        assertArrayEquals(new long[] {10, 2}, out.get("twice").shape());
        for (int i = 0; i < 20; i++) {
            assertEquals(2f * i + 0.5f, out.get("twice").data()[i]);
        }
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3, 0, 1}, out.get("pos").data());
        assertEquals(List.of("twice", "pos"), List.copyOf(out.keySet()));
    }

    @Test
    void staticBatchPadsLastChunkAndDropsPadding() {
        Fake fake = new Fake(3);
        BatchingSession s = new BatchingSession(fake, 100);
        assertTrue(s.hasStaticBatch());
        assertEquals(3, s.chunkSize());
        Map<String, FloatTensor> out = s.run(inputs(7));
        assertEquals(List.of(3, 3, 3), fake.calls);
        assertArrayEquals(new long[] {7, 2}, out.get("twice").shape());
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2, 0}, out.get("pos").data());
        assertEquals(2f * 13 + 0.5f, out.get("twice").data()[13]);
        fake.calls.clear();
        s.run(inputs(2));
        assertEquals(List.of(3), fake.calls);
    }

    /** A model with an input transform [3, 3] beside its batched input, as StyleGAN3 exports have: out = a + t[0][2]. */
    static final class Transformed extends AbstractModelSession {
        final List<long[]> transformShapes = new ArrayList<>();
        final List<Integer> calls = new ArrayList<>();

        Transformed(long batch) {
            super(Path.of("sg3.onnx"), "fake", List.of(new TensorSpec("a", new long[] {batch, 2}),
                    new TensorSpec("t", new long[] {3, 3})), List.of(new TensorSpec("out", new long[] {batch, 2})));
        }

        @Override
        protected Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given) {
            FloatTensor a = given.get("a");
            FloatTensor t = given.get("t");
            transformShapes.add(t.shape());
            calls.add((int) a.dim(0));
            float[] out = a.data().clone();
            for (int i = 0; i < out.length; i++) {
                out[i] += t.data()[2];
            }
            return Map.of("out", FloatTensor.of(out, a.dim(0), 2));
        }

        @Override
        protected void release() {}
    }

    @Test
    void unbatchedInputsGoWholeToEverySplitOrPaddedChunk() {
        float[] t = {1, 0, 100, 0, 1, 0, 0, 0, 1};
        float[] a = new float[10 * 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        Map<String, FloatTensor> in = Map.of("a", FloatTensor.of(a, 10, 2), "t", FloatTensor.of(t, 3, 3));
        // taken for a batched input, the [3, 3] transform reads as a second static batch size
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> new BatchingSession(new Transformed(4), 8));
        assertTrue(e.getMessage().contains("different fixed batch sizes"), e.getMessage());
        for (long batch : new long[] {4, -1}) {
            Transformed model = new Transformed(batch);
            BatchingSession s = new BatchingSession(model, 3, java.util.Set.of("t"));
            assertEquals(batch > 0 ? 4 : 3, s.chunkSize(), "the transform's 3 rows are no static batch");
            FloatTensor out = s.run(in).get("out");
            assertEquals(batch > 0 ? List.of(4, 4, 4) : List.of(3, 3, 3, 1), model.calls, "split (and padded) on a only");
            model.transformShapes.forEach(shape -> assertArrayEquals(new long[] {3, 3}, shape, "t is given whole"));
            assertArrayEquals(new long[] {10, 2}, out.shape());
            for (int i = 0; i < a.length; i++) {
                assertEquals(i + 100f, out.data()[i]);
            }
        }
    }

    @Test
    void mismatchedBatchSizesAreAnError() {
        BatchingSession s = new BatchingSession(new Fake(-1), 4);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> s.run(Map.of("a",
                FloatTensor.of(new float[6], 3, 2), "b", FloatTensor.of(new float[2], 2), "k", FloatTensor.of(new float[1]))));
        assertTrue(e.getMessage().contains("different batch sizes") && e.getMessage().contains("b[2]"), e.getMessage());
    }

    @Test
    void emptyBatchNeedsKnownOutputShapes() {
        Fake fake = new Fake(-1);
        BatchingSession s = new BatchingSession(fake, 4);
        Map<String, FloatTensor> out = s.run(inputs(0));
        assertArrayEquals(new long[] {0, 2}, out.get("twice").shape());
        assertTrue(fake.calls.isEmpty());
    }

    @Test
    void closeClosesInnerAndLaterUseThrows() {
        Fake fake = new Fake(-1);
        BatchingSession s = new BatchingSession(fake, 4);
        s.close();
        assertTrue(fake.released);
        assertThrows(IllegalStateException.class, () -> s.run(inputs(1)));
    }
}
