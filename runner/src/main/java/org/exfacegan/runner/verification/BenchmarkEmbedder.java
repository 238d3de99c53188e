package org.exfacegan.runner.verification;

import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.progress.Progress;

/**
 * Embeds a benchmark's images with a recogniser. Aligned crops go to
 * {@link Recognizer#embedAligned} as they are, in batches; whole photos go one at a time through
 * {@link Recognizer#embed} (which finds and aligns the face). With flip fusion, as insightface's
 * evaluation does, the aligned crop is also embedded mirrored left-right and the embedding is the
 * normalised sum of the two. The recogniser returns unit vectors, so the sum is of the two unit
 * embeddings; insightface sums the model's raw outputs (the arcface plugin's own
 * {@code flip_fusion} option does that, for use with {@code flip} off).
 */
public final class BenchmarkEmbedder {
    /** Aligned crops handed to the recogniser per call (it splits them into its own batch size). */
    static final int CHUNK = 256;
    /** ... and at most this many bytes of them (a hostile .bin may hold large images). */
    static final long CHUNK_BYTES = 64L << 20;

    private BenchmarkEmbedder() {}

    /** One embedding per image of the benchmark (null and a reason where no face was found). */
    public static BenchmarkEmbeddings embed(Recognizer recognizer, Benchmark benchmark, boolean flip, Progress progress) {
        return embed(recognizer, benchmark, flip, progress, "embed " + benchmark.name());
    }

    /** As {@link #embed(Recognizer, Benchmark, boolean, Progress)}, the progress stage called {@code stageName}. */
    public static BenchmarkEmbeddings embed(Recognizer recognizer, Benchmark benchmark, boolean flip, Progress progress,
            String stageName) {
        int n = benchmark.images().size();
        float[][] vectors = new float[n][];
        String[] rejected = new String[n];
        try (Progress.Stage stage = progress.stage(stageName, n, 0, "img")) {
            if (benchmark.aligned()) {
                embedAllAligned(recognizer, benchmark, flip, vectors, rejected, stage);
            } else {
                for (int i = 0; i < n; i++) {
                    embedPhoto(recognizer, benchmark.images().get(i), i, flip, vectors, rejected);
                    stage.step(1);
                }
            }
        }
        return new BenchmarkEmbeddings(vectors, rejected);
    }

    /** Crops in chunks of one size, at most CHUNK of them and CHUNK_BYTES. */
    private static void embedAllAligned(Recognizer recognizer, Benchmark benchmark, boolean flip, float[][] vectors,
            String[] rejected, Progress.Stage stage) {
        int n = benchmark.images().size();
        List<ImageBatch> chunk = new ArrayList<>();
        long bytes = 0;
        int from = 0;
        for (int i = 0; i <= n; i++) {
            ImageBatch img = i < n ? benchmark.images().get(i).read() : null;
            if (!chunk.isEmpty() && (img == null || chunk.size() == CHUNK || img.width() != chunk.get(0).width()
                    || img.height() != chunk.get(0).height() || bytes + img.rgb().length > CHUNK_BYTES)) {
                embedAligned(recognizer, chunk, from, flip, vectors, rejected, benchmark);
                stage.step(chunk.size());
                from = i;
                chunk.clear();
                bytes = 0;
            }
            if (img != null) {
                chunk.add(img);
                bytes += img.rgb().length;
            }
        }
    }

    private static void embedAligned(Recognizer recognizer, List<ImageBatch> chunk, int from, boolean flip,
            float[][] vectors, String[] rejected, Benchmark benchmark) {
        ImageBatch batch = stack(chunk);
        Embeddings e;
        Embeddings mirrored;
        try {
            e = recognizer.embedAligned(batch);
            mirrored = flip ? recognizer.embedAligned(mirror(batch)) : null;
        } catch (ExfaceganException ex) { // e.g. crops of a size the recogniser does not take: say which
            throw new ExfaceganException("benchmark " + benchmark.name() + ", " + benchmark.images().get(from).label()
                    + (chunk.size() > 1 ? " and the " + (chunk.size() - 1) + " after it" : "") + ": " + ex.getMessage(), ex);
        }
        for (int j = 0; j < chunk.size(); j++) {
            String label = benchmark.images().get(from + j).label();
            rejected[from + j] = e.rejected()[j];
            if (e.rejected()[j] == null) {
                vectors[from + j] = flip ? fuse(e.vectors()[j], mirrored.vectors()[j], label) : e.vectors()[j];
            }
        }
    }

    private static void embedPhoto(Recognizer recognizer, Benchmark.Image image, int i, boolean flip, float[][] vectors,
            String[] rejected) {
        ImageBatch photo = image.read();
        Embeddings e = recognizer.embed(photo);
        rejected[i] = e.rejected()[0];
        if (rejected[i] != null) {
            return;
        }
        vectors[i] = e.vectors()[0];
        if (flip) {
            // the crop embed() used, mirrored
            float[] mirrored = recognizer.embedAligned(mirror(e.crops())).vectors()[0];
            vectors[i] = fuse(vectors[i], mirrored, image.label());
        }
    }

    /** normalise(a + b); the two must have one length. */
    static float[] fuse(float[] a, float[] b, String label) {
        if (a.length != b.length) {
            throw new ExfaceganException(label + ": the recogniser gave embeddings of " + a.length + " and " + b.length
                    + " values for the image and its mirror image");
        }
        float[] s = new float[a.length];
        double norm = 0;
        for (int k = 0; k < a.length; k++) {
            s[k] = a[k] + b[k];
            norm += (double) s[k] * s[k];
        }
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new ExfaceganException(label + ": the embeddings of the image and its mirror image sum to "
                    + (Double.isFinite(norm) ? "zero" : "a non-finite vector"));
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < s.length; k++) {
            s[k] *= inv;
        }
        return s;
    }

    /** The images mirrored left-right (insightface flips the aligned crop along its width). */
    static ImageBatch mirror(ImageBatch images) {
        byte[] in = images.rgb();
        byte[] out = new byte[in.length];
        int w = images.width();
        for (int row = 0; row < images.count() * images.height(); row++) {
            int base = row * w * 3;
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, base + x * 3, out, base + (w - 1 - x) * 3, 3);
            }
        }
        return new ImageBatch(images.count(), images.height(), w, out);
    }

    private static ImageBatch stack(List<ImageBatch> images) {
        ImageBatch first = images.get(0);
        if (images.size() == 1) {
            return first;
        }
        byte[] rgb = new byte[images.size() * first.imageBytes()];
        for (int j = 0; j < images.size(); j++) {
            System.arraycopy(images.get(j).rgb(), 0, rgb, j * first.imageBytes(), first.imageBytes());
        }
        return new ImageBatch(images.size(), first.height(), first.width(), rgb);
    }
}
