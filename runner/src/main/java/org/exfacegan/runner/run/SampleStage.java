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
import org.exfacegan.runner.pipeline.sample.IdentitySampler;
import org.exfacegan.runner.progress.Progress;

/**
 * Draws, renders, embeds, filters and writes the samples of every identity. An identity is
 * written into a hidden temporary folder and renamed into {@code images/<name>} when complete,
 * so a dataset never shows a partial identity; a resumed run skips the identities present.
 */
final class SampleStage {
    /** Draws candidates {@code from .. from+count-1} of an identity: fit-space latents and signed distances. */
    interface Sampler {
        IdentitySampler.Samples draw(Identity identity, int from, int count);
    }

    /** Filter counts of one identity. */
    record Counts(int drawn, int rejectedFaces, int belowMin, int aboveMax) {}

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

    /**
     * Whether an identity was published whole. Its files are not forced to disk (for speed), so
     * after a power loss a published folder can hold empty files: such an identity counts as not
     * done and is written again (results are deterministic, so the files come out the same).
     */
    static boolean isComplete(RunFolder folder, Identity id) {
        Path images = folder.resolve(IMAGES + "/" + id.name());
        if (!Files.isDirectory(images)) {
            return false;
        }
        try (var files = Files.list(images)) {
            if (files.anyMatch(SampleStage::isEmpty)) {
                return false;
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + images + ": " + RunFolder.describe(e), e);
        }
        for (String meta : List.of(".npy", ".jsonl", ".counts.json")) {
            if (isEmpty(folder.resolve(META + "/" + id.name() + meta))) {
                return false;
            }
        }
        return !isEmpty(folder.resolve(REFERENCES + "/" + id.name() + ".png"));
    }

    private static boolean isEmpty(Path file) {
        try {
            return !Files.isRegularFile(file) || Files.size(file) == 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Writes every identity not yet complete. Candidates are drawn in blocks of {@code perIdentity}
     * (the same blocks on every run, so results never depend on where a run was resumed) until
     * {@code perIdentity} pass the filters or {@code maxBlocks} blocks are spent.
     */
    void run(List<Identity> identities, ProbeSet probes, Sampler sampler, int perIdentity, int maxBlocks,
             Double minSimilarity, Double maxSimilarity) {
        long done = identities.stream().filter(id -> isComplete(folder, id)).count();
        try (Progress.Stage bar = progress.stage("identities", identities.size(), done, "ids")) {
            for (Identity id : identities) {
                if (isComplete(folder, id)) {
                    continue;
                }
                writeIdentity(id, probes, sampler, perIdentity, maxBlocks, minSimilarity, maxSimilarity);
                bar.step(1);
            }
        }
    }

    private void writeIdentity(Identity id, ProbeSet probes, Sampler sampler, int perIdentity, int maxBlocks,
                               Double minSimilarity, Double maxSimilarity) {
        int dim = probes.dim();
        float[] refEmb = probes.embedding(id.reference());
        List<float[]> keptLatents = new ArrayList<>();
        List<byte[]> keptPngs = new ArrayList<>();
        List<byte[]> keptFull = new ArrayList<>();
        StringBuilder meta = new StringBuilder();
        int drawn = 0;
        int rejected = 0;
        int below = 0;
        int above = 0;
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
                float[] v = e.vectors()[k];
                double sim = dot(v, refEmb);
                if (minSimilarity != null && sim < minSimilarity) {
                    below++;
                    continue;
                }
                if (maxSimilarity != null && sim > maxSimilarity) {
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
                                + "\"distance\": %.6f, \"similarity\": %.6f, \"file\": \"images/%s/%04d.png\"}%n",
                        id.name(), index, id.reference(), id.side(), block * perIdentity + k, dist[k], sim, id.name(), index));
            }
        }
        if (keptLatents.isEmpty()) {
            throw new ExfaceganException("identity " + id.name() + " (reference probe " + id.reference() + "): no sample "
                    + "passed (" + drawn + " drawn: " + rejected + " faces rejected by the recognizer, " + below
                    + " below min_similarity, " + above + " above max_similarity)");
        }
        float[] flat = new float[keptLatents.size() * dim];
        for (int i = 0; i < keptLatents.size(); i++) {
            System.arraycopy(keptLatents.get(i), 0, flat, i * dim, dim);
        }
        // metadata first: the images folder appearing is what marks the identity complete
        folder.writeAtomicallyUnforced(META + "/" + id.name() + ".npy",
                Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {keptLatents.size(), dim}, flat)));
        folder.writeAtomicallyUnforced(META + "/" + id.name() + ".jsonl", meta.toString().getBytes(StandardCharsets.UTF_8));
        folder.writeAtomicallyUnforced(META + "/" + id.name() + ".counts.json", String.format(
                "{\"drawn\": %d, \"kept\": %d, \"rejected_faces\": %d, \"below_min_similarity\": %d, \"above_max_similarity\": %d}%n",
                drawn, keptLatents.size(), rejected, below, above).getBytes(StandardCharsets.UTF_8));
        writeReference(id, probes);
        if (fullResolution) {
            publish(FULL, id, keptFull);
        }
        publish(IMAGES, id, keptPngs);
    }

    private void writeReference(Identity id, ProbeSet probes) {
        String name = REFERENCES + "/" + id.name() + ".png";
        String what = "reference of identity " + id.name();
        ImageBatch ref = ModelOutput.crops(recognizer.embed(
                ModelOutput.images(backbone.render(FloatTensor.of(probes.latent(id.reference()), 1, probes.dim())), 1, what)).crops(),
                1, what);
        folder.writeAtomicallyUnforced(name, Png.encode(ref, 0));
    }

    private void publish(String root, Identity id, List<byte[]> pngs) {
        Path tmp = folder.resolve(root + "/." + id.name() + ".tmp");
        try {
            RunFolder.deleteTree(tmp);
            Files.createDirectories(tmp);
            for (int i = 0; i < pngs.size(); i++) {
                Files.write(tmp.resolve(String.format("%04d.png", i)), pngs.get(i));
            }
            Path target = folder.resolve(root + "/" + id.name());
            RunFolder.deleteTree(target); // left by a run killed before images/, or found with empty files
            RunFolder.moveAtomically(tmp, target);
        } catch (IOException e) {
            try {
                RunFolder.deleteTree(tmp);
            } catch (IOException ignored) {
                // the next run removes it
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
