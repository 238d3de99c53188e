package org.exfacegan.runner.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.progress.Progress;
import org.junit.jupiter.api.Test;

/** Flip fusion and the aligned / photo paths through a recogniser whose embedding we can compute by hand. */
class BenchmarkEmbedderTest {
    /**
     * Embeds an image as the normalised (left column mean, right column mean, 1) of its red
     * channel: a mirror image swaps the first two. Photos: the "face" is the image's left half
     * (its crop); an image whose top-left pixel is 0 has no face. Counts its calls.
     */
    static class HalfRecognizer implements Recognizer {
        final List<Integer> alignedBatches = new ArrayList<>();
        int photoCalls;

        @Override
        public int embeddingSize() {
            return 3;
        }

        @Override
        public Embeddings embedAligned(ImageBatch crops) {
            alignedBatches.add(crops.count());
            float[][] v = new float[crops.count()][];
            for (int i = 0; i < crops.count(); i++) {
                v[i] = unit(column(crops, i, 0), column(crops, i, crops.width() - 1), 1);
            }
            return new Embeddings(v, new String[crops.count()], crops);
        }

        @Override
        public Embeddings embed(ImageBatch images) {
            photoCalls++;
            ImageBatch crop = align(images);
            if (images.get(0, 0, 0, 0) == 0) {
                return new Embeddings(new float[1][], new String[] {"no face found"}, crop);
            }
            return new Embeddings(new float[][] {unit(column(crop, 0, 0), column(crop, 0, crop.width() - 1), 1)},
                    new String[1], crop);
        }

        /** The left half: the "aligned" crop. */
        ImageBatch align(ImageBatch images) {
            int w = images.width() / 2;
            byte[] out = new byte[images.height() * w * 3];
            for (int y = 0; y < images.height(); y++) {
                System.arraycopy(images.rgb(), y * images.width() * 3, out, y * w * 3, w * 3);
            }
            return new ImageBatch(1, images.height(), w, out);
        }

        @Override
        public void close() {}

        private static double column(ImageBatch b, int i, int x) {
            double s = 0;
            for (int y = 0; y < b.height(); y++) {
                s += b.get(i, y, x, 0);
            }
            return s / b.height();
        }
    }

    static float[] unit(double... v) {
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

    /** A w x h image: red = left value in column 0, right value in the last column, 7 elsewhere. */
    static ImageBatch image(int w, int h, int left, int right) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) (x == 0 ? left : x == w - 1 ? right : 7);
            }
        }
        return new ImageBatch(1, h, w, rgb);
    }

    record Memory(String label, ImageBatch image) implements Benchmark.Image {
        @Override
        public ImageBatch read() {
            return image;
        }
    }

    private static Benchmark benchmark(boolean aligned, List<ImageBatch> images) {
        List<Benchmark.Image> list = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            list.add(new Memory("img" + i, images.get(i)));
        }
        return Benchmark.consecutive("t", Path.of("t.bin"), aligned, list, new boolean[images.size() / 2]);
    }

    @Test
    void flipFusionIsTheNormalisedSumOfTheCropAndItsMirrorImage() {
        HalfRecognizer rec = new HalfRecognizer();
        Benchmark b = benchmark(true, List.of(image(6, 4, 200, 20), image(6, 4, 10, 10)));
        BenchmarkEmbeddings fused = BenchmarkEmbedder.embed(rec, b, true, Progress.QUIET);
        float[] e = unit(200, 20, 1);
        float[] m = unit(20, 200, 1);
        assertArrayEquals(unit(e[0] + m[0], e[1] + m[1], e[2] + m[2]), fused.vectors()[0], 1e-6f);
        assertArrayEquals(unit(10, 10, 1), fused.vectors()[1], 1e-6f, "a symmetric image is its own mirror image");
        BenchmarkEmbeddings plain = BenchmarkEmbedder.embed(rec, b, false, Progress.QUIET);
        assertArrayEquals(e, plain.vectors()[0], 1e-6f);
    }

    @Test
    void mirrorSwapsLeftAndRightOnly() {
        byte[] rgb = new byte[2 * 2 * 3 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) i;
        }
        ImageBatch m = BenchmarkEmbedder.mirror(new ImageBatch(2, 2, 3, rgb));
        for (int n = 0; n < 2; n++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(rgb[((n * 2 + y) * 3 + x) * 3 + c] & 0xff, m.get(n, y, 2 - x, c));
                    }
                }
            }
        }
    }

    /** Aligned crops go in batches of up to CHUNK; a crop of another size starts a new batch; every image gets its own row. */
    @Test
    void alignedCropsAreBatchedBySize() {
        HalfRecognizer rec = new HalfRecognizer();
        List<ImageBatch> images = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            images.add(image(i == 10 || i == 11 ? 8 : 6, 4, i % 250 + 1, 3));
        }
        BenchmarkEmbeddings e = BenchmarkEmbedder.embed(rec, benchmark(true, images), false, Progress.QUIET);
        assertEquals(List.of(10, 2, BenchmarkEmbedder.CHUNK, 300 - 12 - BenchmarkEmbedder.CHUNK), rec.alignedBatches);
        for (int i = 0; i < 300; i++) {
            assertArrayEquals(unit(i % 250 + 1, 3, 1), e.vectors()[i], 1e-6f, "image " + i);
        }
    }

    /** Large crops (a hostile .bin may declare them) are held at most CHUNK_BYTES at a time. */
    @Test
    void largeCropsAreBatchedByBytes() {
        HalfRecognizer rec = new HalfRecognizer();
        int side = 1500; // 6.75 MB each: 9 fit in 64 MB
        List<ImageBatch> images = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            images.add(image(side, side, i + 1, 3));
        }
        BenchmarkEmbeddings e = BenchmarkEmbedder.embed(rec, benchmark(true, images), false, Progress.QUIET);
        assertEquals(List.of(9, 3), rec.alignedBatches);
        assertArrayEquals(unit(12, 3, 1), e.vectors()[11], 1e-6f);
    }

    /** Photos: embed() finds the face; with flip, the crop it used is mirrored; no face is reported, not cropped blindly. */
    @Test
    void photosGoThroughTheRecognisersAlignment() {
        HalfRecognizer rec = new HalfRecognizer();
        // the crop is the left half: columns 0..4 of a 10-wide image, so its right edge is column 4 (value 7)
        Benchmark b = benchmark(false, List.of(image(10, 4, 90, 30), image(12, 5, 0, 50)));
        BenchmarkEmbeddings e = BenchmarkEmbedder.embed(rec, b, true, Progress.QUIET);
        assertEquals(2, rec.photoCalls);
        float[] crop = unit(90, 7, 1);
        float[] mirrored = unit(7, 90, 1);
        assertArrayEquals(unit(crop[0] + mirrored[0], crop[1] + mirrored[1], crop[2] + mirrored[2]), e.vectors()[0], 1e-6f);
        assertNull(e.vectors()[1]);
        assertEquals("no face found", e.rejected()[1]);
    }

    /** A recogniser refusing a crop size: the error says which benchmark images it was. */
    @Test
    void recogniserErrorsNameTheBenchmarkImages() {
        HalfRecognizer picky = new HalfRecognizer() {
            @Override
            public Embeddings embedAligned(ImageBatch crops) {
                if (crops.width() != 6) {
                    throw new ExfaceganException("aligned crops must be 6x6, got " + crops.width() + "x" + crops.height());
                }
                return super.embedAligned(crops);
            }
        };
        List<ImageBatch> images = List.of(image(6, 4, 1, 1), image(6, 4, 1, 1), image(8, 4, 1, 1), image(8, 4, 1, 1));
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> BenchmarkEmbedder.embed(picky, benchmark(true, images), true, Progress.QUIET));
        assertEquals("benchmark t, img2 and the 1 after it: aligned crops must be 6x6, got 8x4", e.getMessage());
    }

    @Test
    void fuseRefusesMismatchedOrOppositeEmbeddings() {
        assertTrue(assertThrows(ExfaceganException.class, () -> BenchmarkEmbedder.fuse(new float[2], new float[3], "image 4"))
                .getMessage().startsWith("image 4: the recogniser gave embeddings of 2 and 3 values"));
        assertTrue(assertThrows(ExfaceganException.class,
                () -> BenchmarkEmbedder.fuse(new float[] {1, 0}, new float[] {-1, 0}, "image 5")).getMessage().contains("sum to zero"));
    }

    /** Pairs with an image without a face score as never the same, and are counted. */
    @Test
    void pairsWithoutAFaceAreNeverAccepted() {
        HalfRecognizer rec = new HalfRecognizer();
        List<ImageBatch> images = new ArrayList<>();
        boolean[] same = new boolean[20];
        for (int k = 0; k < 20; k++) {
            same[k] = k % 2 == 0;
            int v = 20 + 10 * k;
            images.add(image(10, 4, k == 0 ? 0 : v, 3)); // pair 0's first image has no face
            images.add(image(10, 4, same[k] ? v : 250 - v, 3));
        }
        List<Benchmark.Image> list = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            list.add(new Memory("img" + i, images.get(i)));
        }
        Benchmark b = Benchmark.consecutive("t", Path.of("pairs.txt"), false, list, same);
        BenchmarkResult r = Verification.run(rec, b, new Verification.Options(false, 10), Progress.QUIET);
        assertEquals(1, r.noFaceImages());
        assertEquals(1, r.noFacePairs());
        assertEquals(40, r.images());
        assertTrue(r.verification().accuracyMean() < 1, "the genuine pair without a face is an error");
    }
}
