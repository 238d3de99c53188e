package org.exfacegan.runner.report;

import org.exfacegan.runner.dataset.ImageFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.progress.Progress;

/**
 * Embeds what a run wrote: every aligned crop under {@code images/} and every reference crop,
 * read back from the PNG files and fed to the recogniser as the aligned crops they are
 * ({@link Recognizer#embedAligned}). The report measures these, not the pipeline's in-memory values.
 */
public final class RunEmbedder {
    private static final int BATCH = 64;

    private RunEmbedder() {}

    /**
     * @param perIdentity per identity, its images' embeddings
     * @param references  per identity, its reference crop's embedding
     * @param rejected    written images the recogniser rejected on re-embedding (left out of perIdentity)
     */
    public record Result(List<float[][]> perIdentity, List<float[]> references, int rejected) {}

    public static Result embed(FinishedRun run, Recognizer recognizer, Progress progress) {
        List<Path> files = new ArrayList<>();
        for (FinishedRun.IdentityImages id : run.identities()) {
            id.files().forEach(f -> files.add(run.folder().resolve(f)));
        }
        run.identities().forEach(id -> files.add(run.reference(id)));
        float[][] vectors = new float[files.size()][];
        try (Progress.Stage bar = progress.stage("embedding " + run.folder().getFileName(), files.size(), 0, "img")) {
            for (int from = 0; from < files.size(); from += BATCH) {
                int to = Math.min(files.size(), from + BATCH);
                Embeddings e = recognizer.embedAligned(batch(files.subList(from, to)));
                for (int k = 0; k < to - from; k++) {
                    vectors[from + k] = e.isRejected(k) ? null : e.vectors()[k];
                }
                bar.step(to - from);
            }
        }
        List<float[][]> perIdentity = new ArrayList<>();
        List<float[]> references = new ArrayList<>();
        int next = 0;
        int rejected = 0;
        int refBase = files.size() - run.identities().size();
        for (int a = 0; a < run.identities().size(); a++) {
            List<float[]> kept = new ArrayList<>();
            for (int k = 0; k < run.identities().get(a).files().size(); k++, next++) {
                if (vectors[next] == null) {
                    rejected++;
                } else {
                    kept.add(vectors[next]);
                }
            }
            perIdentity.add(kept.toArray(new float[0][]));
            float[] ref = vectors[refBase + a];
            if (ref == null) {
                throw new ExfaceganException("the recogniser rejects the reference crop " + run.reference(run.identities().get(a))
                        + " that it accepted when the run was made: is it the run's recogniser?");
            }
            references.add(ref);
        }
        return new Result(perIdentity, references, rejected);
    }

    /** Reads PNG crops of one size into one batch. */
    static ImageBatch batch(List<Path> files) {
        List<ImageBatch> images = new ArrayList<>();
        for (Path f : files) {
            images.add(ImageFiles.read(f));
        }
        ImageBatch first = images.get(0);
        byte[] rgb = new byte[images.size() * first.imageBytes()];
        for (int i = 0; i < images.size(); i++) {
            ImageBatch im = images.get(i);
            if (im.width() != first.width() || im.height() != first.height()) {
                throw new ExfaceganException("image " + files.get(i) + " is " + im.width() + "x" + im.height() + ", but "
                        + files.get(0) + " is " + first.width() + "x" + first.height() + ": a run's crops share one size");
            }
            System.arraycopy(im.rgb(), 0, rgb, i * first.imageBytes(), first.imageBytes());
        }
        return new ImageBatch(images.size(), first.height(), first.width(), rgb);
    }
}
