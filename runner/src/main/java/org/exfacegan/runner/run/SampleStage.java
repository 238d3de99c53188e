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
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.IdentityCounts;
import org.exfacegan.runner.layout.ManifestLine;
import org.exfacegan.runner.layout.RunLayout;
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
     * What every identity of a run is made from: the probes, the sampler, and how many candidates
     * are drawn and kept. Candidates are drawn in blocks of {@code perIdentity} (the same blocks on
     * every run, so results never depend on where a run was resumed) until {@code perIdentity} pass
     * the filters or {@code maxBlocks} blocks are spent.
     */
    record Work(ProbeSet probes, IdentitySamplers.Sampler sampler, int perIdentity, int maxBlocks, Filters filters) {
        /** Blocks of candidates an identity may draw before it gives up on filling its quota. */
        static final int MAX_BLOCKS = 4;

        /** A run's work from its config and what the earlier stages computed. */
        static Work of(ExperimentConfig c, ProbeSet probes, SamplingPlan plan) {
            return new Work(probes, plan.sampler(), c.samplesPerIdentity(), MAX_BLOCKS, new Filters(c.sampling().minSimilarity(),
                    c.sampling().maxSimilarity(), plan.guard(), c.sampling().dropOutOfDistribution()));
        }
    }

    /** Writes the identities of {@code todo} ({@code done} others are complete already) through {@code units}. */
    void run(List<Identity> all, List<Identity> todo, Work work, UnitRunner units, ResolvedConfig rc) {
        try (Progress.Stage bar = progress.stage("identities", all.size(), all.size() - todo.size(), "ids")) {
            units.run(UnitRunner.Kind.IDENTITY, rc, todo.stream().map(Identity::index).toList(),
                    i -> writeIdentity(all.get(i), work), i -> bar.step(1));
        }
    }

    /** Writes one identity: one unit of work. */
    void writeIdentity(Identity id, Work work) {
        ProbeSet probes = work.probes();
        IdentitySamplers.Sampler sampler = work.sampler();
        int perIdentity = work.perIdentity();
        int maxBlocks = work.maxBlocks();
        Filters filters = work.filters();
        int dim = probes.dim();
        float[] refLatent = sampler.referenceLatent(id);
        ReferenceFace ref = referenceFace(id, probes, refLatent);
        float[] refEmb = ref.embedding(); // null: the recogniser finds no face in the reference (similarities unknown)
        DistributionGuard guard = filters.guard();
        List<float[]> keptLatents = new ArrayList<>();
        List<byte[]> keptPngs = new ArrayList<>();
        List<byte[]> keptFull = new ArrayList<>();
        StringBuilder manifest = new StringBuilder();
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
                manifest.append(Json.line(new ManifestLine(id.name(), index, id.reference(), id.side(), block * perIdentity + k,
                        dist[k], measured(sim), measured(mahalanobis), guard == null ? null : !out,
                        RunLayout.image(RunLayout.IMAGES, id.name(), index))));
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
        writeUnforced(sums, RunLayout.identityLatents(id.name()),
                Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {keptLatents.size(), dim}, flat)));
        writeUnforced(sums, RunLayout.identityManifest(id.name()), manifest.toString().getBytes(StandardCharsets.UTF_8));
        writeUnforced(sums, RunLayout.identityCounts(id.name()), Json.line(new IdentityCounts(drawn, keptLatents.size(), rejected,
                below, above, outside, droppedOutside, refEmb == null)).getBytes(StandardCharsets.UTF_8));
        writeUnforced(sums, RunLayout.referenceCrop(id.name()), ref.png());
        if (fullResolution) {
            record(sums, RunLayout.IMAGES_FULL, id, keptFull);
        }
        record(sums, RunLayout.IMAGES, id, keptPngs);
        folder.writeAtomicallyUnforced(RunLayout.identitySums(id.name()), sums.toBytes());
        if (fullResolution) {
            publish(RunLayout.IMAGES_FULL, id, keptFull);
        }
        publish(RunLayout.IMAGES, id, keptPngs);
    }

    private void writeUnforced(Checksums sums, String relative, byte[] content) {
        folder.writeAtomicallyUnforced(relative, content);
        sums.add(relative, content);
    }

    private static void record(Checksums sums, String root, Identity id, List<byte[]> pngs) {
        for (int i = 0; i < pngs.size(); i++) {
            sums.add(RunLayout.image(root, id.name(), i), pngs.get(i));
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

    /** A figure as a file records it: null when not measured (NaN). */
    private static Double measured(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private void publish(String root, Identity id, List<byte[]> pngs) {
        String relative = RunLayout.identityFolder(root, id.name());
        Path tmp = folder.temporary(relative);
        try {
            Files.createDirectories(tmp);
            for (int i = 0; i < pngs.size(); i++) {
                Files.write(tmp.resolve(RunLayout.imageName(i)), pngs.get(i));
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
}
