package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.testing.OnnxWriter;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recogniser through the real host runtime, on tiny ONNX models our own code writes. */
class RecognizerOnnxTest {
    private static final int S = FaceTemplate.SIZE;
    private static final int D = 8;

    @TempDir
    Path dir;

    private final DefaultModelHost host = DefaultModelHost.fromServiceLoader();

    /** Embedding = per-channel mean of the input: shows exactly what normalisation and channel order fed. */
    private Path channelMeanModel(long... inputShape) {
        OnnxWriter g = new OnnxWriter("channel-mean");
        g.input("data", inputShape);
        g.node("ReduceMean", List.of("data"), List.of("emb")).attrInts("axes", 2, 3).attrInt("keepdims", 0);
        g.output("emb", -1, 3);
        return g.write(dir.resolve("mean.onnx"));
    }

    /** Embedding = flatten(input) x W: sees every pixel, and left differs from right. */
    private Path linearModel(float[] w, long outDim) {
        OnnxWriter g = new OnnxWriter("linear");
        g.input("data", -1, 3, S, S);
        g.initializer("W", w, 3L * S * S, D);
        g.node("Flatten", List.of("data"), List.of("flat")).attrInt("axis", 1);
        g.node("MatMul", List.of("flat", "W"), List.of("emb"));
        g.output("emb", -1, outDim);
        return g.write(dir.resolve("linear.onnx"));
    }

    private Recognizer open(Path model, ArcFaceSettings settings, int batch) {
        return new ArcFaceProvider().open(new PluginContext(model, settings, host, ModelOptions.DEFAULT.withBatchSize(batch),
                PluginJson.READER));
    }

    private static ImageBatch uniform(int w, int h, int r, int g, int b) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        return new ImageBatch(1, h, w, rgb);
    }

    private static ImageBatch noise(int n, int w, int h, long seed) {
        byte[] rgb = new byte[n * w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new ImageBatch(n, h, w, rgb);
    }

    private static float[] unit(double... v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    @Test
    void normalisationVariantsReachTheModel() {
        Path model = channelMeanModel(-1, 3, S, S);
        ImageBatch img = uniform(256, 256, 200, 100, 50);
        String[][] variants = {{"127.5/127.5", "rgb"}, {"127.5/128", "rgb"}, {"127/128", "bgr"}};
        for (String[] v : variants) {
            ArcFaceSettings s = ArcFaceSettings.defaults().withNormalization(v[0]).withChannelOrder(v[1]);
            try (Recognizer rec = open(model, s, 16)) {
                assertEquals(3, rec.embeddingSize());
                float[] e = rec.embed(img).vectors()[0];
                double m = s.mean();
                double sd = s.std();
                float[] expected = v[1].equals("bgr")
                        ? unit((50 - m) / sd, (100 - m) / sd, (200 - m) / sd)
                        : unit((200 - m) / sd, (100 - m) / sd, (50 - m) / sd);
                assertArrayEquals(expected, e, 1e-5f, v[0] + " " + v[1]);
            }
        }
    }

    @Test
    void flipFusionSumsFaceAndMirrorAndBatchesMatchSingles() {
        Random rnd = new Random(11);
        float[] w = new float[3 * S * S * D];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.01f;
        }
        Path model = linearModel(w, D);
        ImageBatch images = noise(5, 160, 160, 5);
        ArcFaceSettings fused = ArcFaceSettings.defaults().withFlipFusion(true);
        try (ArcFaceRecognizer plain = (ArcFaceRecognizer) open(model, ArcFaceSettings.defaults(), 2);
                Recognizer flip = open(model, fused, 3)) {
            Embeddings a = plain.embed(images);
            Embeddings b = flip.embed(images);
            for (int i = 0; i < images.count(); i++) {
                byte[] crop = plain.locate(images, i).get(0).crop();
                assertArrayEquals(crop, a.crops().image(i).rgb(), "embed() returns the crop it fed");
                double[] straight = project(crop, false, w);
                double[] mirrored = project(crop, true, w);
                double[] sum = new double[D];
                for (int k = 0; k < D; k++) {
                    sum[k] = straight[k] + mirrored[k];
                }
                assertArrayEquals(unit(straight), a.vectors()[i], 1e-4f, "plain " + i);
                assertArrayEquals(unit(sum), b.vectors()[i], 1e-4f, "flip-fused " + i);
                assertTrue(Math.abs(a.vectors()[i][0] - b.vectors()[i][0]) > 1e-3, "the mirror changes the embedding");
                // batch of 5 through batch size 2 equals one image at a time
                assertArrayEquals(a.vectors()[i], plain.embed(images.image(i)).vectors()[0], 1e-6f);
            }
        }
    }

    @Test
    void embedAlignedFeedsCropsAsTheyAre() {
        Random rnd = new Random(12);
        float[] w = new float[3 * S * S * D];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.01f;
        }
        ImageBatch images = noise(3, 150, 150, 7);
        try (Recognizer rec = open(linearModel(w, D), ArcFaceSettings.defaults(), 2)) {
            Embeddings direct = rec.embed(images);
            ImageBatch crops = direct.crops();
            Embeddings again = rec.embedAligned(crops);
            assertSame(crops, again.crops(), "embedAligned returns the crops it was given");
            Embeddings realigned = rec.embed(crops); // what embed() would do to a crop: align it once more
            for (int i = 0; i < images.count(); i++) {
                assertArrayEquals(direct.vectors()[i], again.vectors()[i], 1e-6f, "crop " + i);
                assertTrue(Math.abs(direct.vectors()[i][0] - realigned.vectors()[i][0]) > 1e-4, "re-aligning a crop changes it");
            }
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> rec.embedAligned(images));
            assertTrue(e.getMessage().contains("112x112") && e.getMessage().contains("150x150"), e.getMessage());
        }
    }

    /**
     * embed() keeps nothing between calls: the same batch object with new pixels gives new crops and
     * embeddings (a cache keyed by the batch object returned the old ones), and threads sharing one
     * recogniser get what each would get alone.
     */
    @Test
    void embedIsStatelessAndThreadSafe() throws Exception {
        Random rnd = new Random(13);
        float[] w = new float[3 * S * S * D];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * 0.01f;
        }
        try (Recognizer rec = open(linearModel(w, D), ArcFaceSettings.defaults(), 2)) {
            ImageBatch images = noise(3, 128, 128, 21);
            Embeddings before = rec.embed(images);
            byte[] rgb = images.rgb();
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) ~rgb[i]; // new pixels in the same batch object
            }
            Embeddings after = rec.embed(images);
            Embeddings fresh = rec.embed(new ImageBatch(3, 128, 128, rgb.clone()));
            assertArrayEquals(fresh.crops().rgb(), after.crops().rgb());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(fresh.vectors()[i], after.vectors()[i], 0f, "image " + i);
                assertTrue(Math.abs(before.vectors()[i][0] - after.vectors()[i][0]) > 1e-4, "new pixels, new embedding");
            }
            // threads on one recogniser, each with its own images and sizes (the fixed-landmark warp is memoised per size)
            List<ImageBatch> batches = new ArrayList<>();
            List<Embeddings> alone = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                batches.add(noise(2, 120 + 8 * t, 120 + 8 * t, 30 + t));
                alone.add(rec.embed(batches.get(t)));
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Boolean>> same = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int k = t;
                    same.add(pool.submit(() -> {
                        for (int round = 0; round < 25; round++) {
                            Embeddings e = rec.embed(batches.get(k));
                            if (!java.util.Arrays.equals(e.crops().rgb(), alone.get(k).crops().rgb())
                                    || !java.util.Arrays.deepEquals(e.vectors(), alone.get(k).vectors())) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (var f : same) {
                    assertTrue(f.get(), "a thread got what it would get alone");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static double[] project(byte[] crop, boolean flip, float[] w) {
        float[] x = new float[3 * S * S];
        Preprocess.toNchw(crop, flip, 127.5f, 127.5f, false, x, 0);
        double[] out = new double[D];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < D; k++) {
                out[k] += x[i] * (double) w[i * D + k];
            }
        }
        return out;
    }

    @Test
    void wrongInputSizeIsAClearError() {
        Path model = channelMeanModel(-1, 3, 96, 96);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(model, ArcFaceSettings.defaults(), 4));
        assertTrue(e.getMessage().contains("mean.onnx") && e.getMessage().contains("[?, 3, 96, 96]")
                && e.getMessage().contains("expected [?, 3, 112, 112]"), e.getMessage());
    }

    @Test
    void wrongEmbeddingSizeIsAClearError() {
        Path model = channelMeanModel(-1, 3, S, S);
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> open(model, ArcFaceSettings.defaults().withEmbeddingSize(512), 4));
        assertTrue(e.getMessage().contains("mean.onnx") && e.getMessage().contains("3 values")
                && e.getMessage().contains("embedding_size is 512"), e.getMessage());
    }

    @Test
    void dynamicEmbeddingSizeIsObserved() {
        Path model = linearModel(new float[3 * S * S * D], -1);
        // all-zero weights give zero embeddings: observing the size works, embedding must fail clearly
        try (Recognizer rec = open(model, ArcFaceSettings.defaults(), 4)) {
            assertEquals(D, rec.embeddingSize());
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> rec.embed(noise(1, 120, 120, 1)));
            assertTrue(e.getMessage().contains("linear.onnx") && e.getMessage().contains("norm"), e.getMessage());
        }
    }

    @Test
    void faceNotFoundIsRejectedWithAReason() {
        // a detector whose scores are all 0 (0 x the input mean, expanded), and a landmark model of the right shape
        OnnxWriter det = new OnnxWriter("no-faces");
        det.input("input", 1, 3, 240, 320);
        det.node("ReduceMean", List.of("input"), List.of("m")).attrInts("axes", 1, 2, 3).attrInt("keepdims", 1);
        det.initializer("zero", new float[] {0}, 1);
        det.node("Mul", List.of("m", "zero"), List.of("z"));
        det.int64s("sshape", 1, 4420, 2);
        det.int64s("bshape", 1, 4420, 4);
        det.node("Reshape", List.of("z", "one3"), List.of("z3"));
        det.int64s("one3", 1, 1, 1);
        det.node("Expand", List.of("z3", "sshape"), List.of("scores"));
        det.node("Expand", List.of("z3", "bshape"), List.of("boxes"));
        det.output("scores", 1, 4420, 2);
        det.output("boxes", 1, 4420, 4);
        det.write(dir.resolve("det.onnx"));
        OnnxWriter lm = new OnnxWriter("landmarks");
        lm.input("input", 1, 1, 64, 64);
        lm.initializer("W", new float[64 * 64 * 136], 64 * 64, 136);
        lm.node("Flatten", List.of("input"), List.of("flat")).attrInt("axis", 1);
        lm.node("MatMul", List.of("flat", "W"), List.of("output"));
        lm.output("output", 1, 136);
        lm.write(dir.resolve("lm.onnx"));
        Path model = channelMeanModel(-1, 3, S, S);
        try (Recognizer rec = open(model, ArcFaceSettings.detect("det.onnx", "lm.onnx"), 4)) {
            Embeddings e = rec.embed(noise(2, 200, 150, 3));
            for (int i = 0; i < 2; i++) {
                assertTrue(e.isRejected(i));
                assertNull(e.vectors()[i]);
                assertTrue(e.rejected()[i].contains("no face found"), e.rejected()[i]);
            }
            assertEquals(List.of(List.of(), List.of()), rec.embedFaces(noise(2, 200, 150, 3)));
            ImageBatch crops = e.crops();
            assertEquals(112, crops.width());
            assertEquals(2, crops.count());
            for (byte v : crops.rgb()) {
                assertEquals(0, v, "a rejected image's crop is black");
            }
        }
    }

    @Test
    void useAfterCloseThrows() {
        Recognizer rec = open(channelMeanModel(-1, 3, S, S), null, 4);
        assertNotNull(rec.embed(uniform(64, 64, 9, 9, 200)).vectors()[0]);
        rec.close();
        rec.close();
        assertThrows(IllegalStateException.class, () -> rec.embed(uniform(64, 64, 9, 9, 9)));
    }
}
