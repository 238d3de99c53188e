package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.pipeline.sample.DistributionGuard;
import org.exfacegan.runner.pipeline.sample.IdentitySampler;
import org.exfacegan.runner.progress.Progress;

/**
 * Draws, renders, embeds, filters and writes the samples of every identity. An identity is
 * written into a temporary folder and renamed into {@code images/<name>} when complete,
 * so a dataset never shows a partial identity; a resumed run skips the identities present.
 */
final class SampleStage {
    /** Filter counts of one identity. */
    record Counts(int drawn, int rejectedFaces, int belowMin, int aboveMax) {}

    /**
     * What keeps a candidate out of the dataset besides a rejected face.
     *
     * @param guard                 measures each candidate's distance to the probe distribution (null: not measured)
     * @param dropOutOfDistribution drop candidates the guard finds outside (else only count and flag them)
     */
    record Filters(Double minSimilarity, Double maxSimilarity, DistributionGuard guard, boolean dropOutOfDistribution) {}

    static final String IMAGES = "images";
    static final String META = "meta";
    static final String REFERENCES = "references";
    static final String FULL = "images_full";

    private final RunFolder folder;
    private final Backbone backbone;
    private final Recognizer recognizer;
    private final Progress progress;
    private final boolean fullResolution;

    SampleStage(RunFolder folder, Backbone backbone, Recognizer recognizer, Progress progress, boolean fullResolution) {
        this.folder = folder;
        this.backbone = backbone;
        this.recognizer = recognizer;
        this.progress = progress;
        this.fullResolution = fullResolution;
    }

    /** Where an identity's checksums are recorded: every file of it, written just before its images folder appears. */
    static String sumsFile(Identity id) {
        return META + "/" + id.name() + ".sha256";
    }

    /**
     * Writes the identities of {@code todo} ({@code done} others are complete already). Candidates
     * are drawn in blocks of {@code perIdentity} (the same blocks on every run, so results never
     * depend on where a run was resumed) until {@code perIdentity} pass the filters or
     * {@code maxBlocks} blocks are spent.
     */
    void run(List<Identity> todo, long done, ProbeSet probes, IdentitySamplers.Sampler sampler, int perIdentity, int maxBlocks,
             Filters filters) {
        try (Progress.Stage bar = progress.stage("identities", done + todo.size(), done, "ids")) {
            for (Identity id : todo) {
                writeIdentity(id, probes, sampler, perIdentity, maxBlocks, filters);
                bar.step(1);
            }
        }
    }

    private void writeIdentity(Identity id, ProbeSet probes, IdentitySamplers.Sampler sampler, int perIdentity, int maxBlocks,
                               Filters filters) {
        int dim = probes.dim();
        float[] refLatent = sampler.referenceLatent(id);
        ReferenceFace ref = referenceFace(id, probes, refLatent);
        float[] refEmb = ref.embedding(); // null: the recogniser finds no face in the reference (similarities unknown)
        DistributionGuard guard = filters.guard();
        List<float[]> keptLatents = new ArrayList<>();
        List<byte[]> keptPngs = new ArrayList<>();
        List<byte[]> keptFull = new ArrayList<>();
        StringBuilder meta = new StringBuilder();
        int drawn = 0;
        int rejected = 0;
        int below = 0;
        int above = 0;
        int outside = 0;
        int droppedOutside = 0;
        for (int block = 0; block < maxBlocks && keptLatents.size() < perIdentity; block++) {
            IdentitySampler.Samples drawnBlock = sampler.draw(id, block * perIdentity, perIdentity);
            float[] lat = drawnBlock.latents();
            float[] dist = drawnBlock.signedDistances();
            Finite.check(lat, "sample latents of identity " + id.name());
            String what = "identity " + id.name() + ", candidates " + block * perIdentity + ".." + ((block + 1) * perIdentity - 1);
            ImageBatch images = ModelOutput.images(backbone.render(FloatTensor.of(lat, perIdentity, dim)), perIdentity, what);
            Embeddings e = ModelOutput.embeddings(recognizer.embed(images), perIdentity, refEmb.length, what);
            ImageBatch crops = ModelOutput.crops(e.crops(), perIdentity, what);
            for (int k = 0; k < perIdentity && keptLatents.size() < perIdentity; k++) {
                drawn++;
                if (e.isRejected(k)) {
                    rejected++;
                    continue;
                }
                double mahalanobis = guard == null ? Double.NaN : guard.distance(lat, k * dim);
                boolean out = guard != null && guard.outside(mahalanobis);
                if (out) {
                    outside++;
                    if (filters.dropOutOfDistribution()) {
                        droppedOutside++;
                        continue;
                    }
                }
                float[] v = e.vectors()[k];
                double sim = refEmb == null ? Double.NaN : dot(v, refEmb);
                if (filters.minSimilarity() != null && sim < filters.minSimilarity()) {
                    below++;
                    continue;
                }
                if (filters.maxSimilarity() != null && sim > filters.maxSimilarity()) {
                    above++;
                    continue;
                }
                int index = keptLatents.size();
                float[] one = new float[dim];
                System.arraycopy(lat, k * dim, one, 0, dim);
                keptLatents.add(one);
                keptPngs.add(Png.encode(crops, k));
                if (fullResolution) {
                    keptFull.add(Png.encode(images, k));
                }
                meta.append(String.format(java.util.Locale.ROOT,
                        "{\"identity\": \"%s\", \"index\": %d, \"reference\": %d, \"side\": %d, \"candidate\": %d, "
                                + "\"distance\": %.6f, \"similarity\": %s, \"mahalanobis\": %s, \"in_distribution\": %s, "
                                + "\"file\": \"images/%s/%04d.png\"}%n",
                        id.name(), index, id.reference(), id.side(), block * perIdentity + k, dist[k], number(sim, 6),
                        number(mahalanobis, 4), guard == null ? "null" : Boolean.toString(!out), id.name(), index));
            }
        }
        if (keptLatents.isEmpty()) {
            throw new ExfaceganException("identity " + id.name() + " (reference probe " + id.reference() + "): no sample "
                    + "passed (" + drawn + " drawn: " + rejected + " faces rejected by the recognizer, " + droppedOutside
                    + " outside the probe distribution, " + below + " below min_similarity, " + above + " above max_similarity)");
        }
        float[] flat = new float[keptLatents.size() * dim];
        for (int i = 0; i < keptLatents.size(); i++) {
            System.arraycopy(keptLatents.get(i), 0, flat, i * dim, dim);
        }
        // metadata and checksums first: the images folder appearing is what marks the identity complete
        Checksums sums = new Checksums();
        writeUnforced(sums, META + "/" + id.name() + ".npy",
                Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {keptLatents.size(), dim}, flat)));
        writeUnforced(sums, META + "/" + id.name() + ".jsonl", meta.toString().getBytes(StandardCharsets.UTF_8));
        writeUnforced(sums, META + "/" + id.name() + ".counts.json", String.format(
                "{\"drawn\": %d, \"kept\": %d, \"rejected_faces\": %d, \"below_min_similarity\": %d, \"above_max_similarity\": %d, "
                        + "\"out_of_distribution\": %d, \"dropped_out_of_distribution\": %d, \"reference_rejected\": %b}%n",
                drawn, keptLatents.size(), rejected, below, above, outside, droppedOutside, refEmb == null)
                .getBytes(StandardCharsets.UTF_8));
        writeUnforced(sums, REFERENCES + "/" + id.name() + ".png", ref.png());
        if (fullResolution) {
            record(sums, FULL, id, keptFull);
        }
        record(sums, IMAGES, id, keptPngs);
        folder.writeAtomicallyUnforced(sumsFile(id), sums.toBytes());
        if (fullResolution) {
            publish(FULL, id, keptFull);
        }
        publish(IMAGES, id, keptPngs);
    }

    private void writeUnforced(Checksums sums, String relative, byte[] content) {
        folder.writeAtomicallyUnforced(relative, content);
        sums.add(relative, content);
    }

    private static void record(Checksums sums, String root, Identity id, List<byte[]> pngs) {
        for (int i = 0; i < pngs.size(); i++) {
            sums.add(root + "/" + id.name() + String.format("/%04d.png", i), pngs.get(i));
        }
    }

    /** The reference's aligned crop (PNG) and its embedding (null when the recogniser finds no face). */
    private record ReferenceFace(byte[] png, float[] embedding) {}

    /**
     * An identity's own side uses its reference probe's embedding; the other side of a boundary is
     * another identity, whose reference is the probe mirrored across the boundary, rendered and
     * embedded here, so its samples are compared with their own reference and never with the
     * other side's face.
     */
    private ReferenceFace referenceFace(Identity id, ProbeSet probes, float[] latent) {
        String what = "reference of identity " + id.name();
        Embeddings e = ModelOutput.embeddings(recognizer.embed(
                ModelOutput.images(backbone.render(FloatTensor.of(latent, 1, latent.length)), 1, what)), 1, probes.embDim(), what);
        byte[] png = Png.encode(ModelOutput.crops(e.crops(), 1, what), 0);
        if (id.side() > 0) {
            return new ReferenceFace(png, probes.embedding(id.reference()));
        }
        return new ReferenceFace(png, e.isRejected(0) ? null : e.vectors()[0]);
    }

    /** A JSON number, or null when not measured (NaN). */
    static String number(double v, int decimals) {
        return Double.isNaN(v) ? "null" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    private void publish(String root, Identity id, List<byte[]> pngs) {
        String relative = root + "/" + id.name();
        Path tmp = folder.temporary(relative);
        try {
            Files.createDirectories(tmp);
            for (int i = 0; i < pngs.size(); i++) {
                Files.write(tmp.resolve(String.format("%04d.png", i)), pngs.get(i));
            }
            RunFolder.deleteTree(folder.resolve(relative)); // left by a run killed before images/, or found damaged
            folder.publish(tmp, relative);
        } catch (IOException e) {
            try {
                RunFolder.deleteTree(tmp);
            } catch (IOException ignored) {
                // the next run clears the temporaries
            }
            throw new ExfaceganException("cannot write identity " + id.name() + " under " + folder.resolve(root) + ": "
                    + RunFolder.describe(e) + " (finished identities are intact)", e);
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static String readString(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + p + ": " + RunFolder.describe(e), e);
        }
    }
}
