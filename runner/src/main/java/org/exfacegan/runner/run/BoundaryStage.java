package org.exfacegan.runner.run;

import java.util.List;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.BoundaryLine;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.pipeline.fit.FitOptions;
import org.exfacegan.runner.pipeline.fit.FitProblem;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Labeler;
import org.exfacegan.runner.progress.Progress;

/**
 * Labels the accepted probes for every reference and fits all identity boundaries, then writes
 * {@code boundaries.npy} ([references, dim] unit normals, InterFaceGAN-style rows), {@code offsets.npy}
 * and {@code boundaries.jsonl} (accuracies). A resumed run loads them instead of fitting again.
 */
final class BoundaryStage {
    static final long LABEL_SEED = 0x1ABE1L;
    static final long SPLIT_SEED = 0x5B117L;

    private BoundaryStage() {}

    /** Whether the boundaries were written and still match their checksums. */
    static boolean isDone(RunFolder folder) {
        return folder.exists(RunLayout.BOUNDARY_SUMS) && Checksums.verify(folder, RunLayout.BOUNDARY_SUMS).isEmpty();
    }

    static Boundaries run(RunFolder folder, ExperimentConfig c, ProbeSet probes, List<Integer> references, Progress progress,
                          java.util.function.Consumer<String> notices) {
        if (folder.exists(RunLayout.BOUNDARY_SUMS)) {
            List<String> problems = Checksums.verify(folder, RunLayout.BOUNDARY_SUMS);
            if (problems.isEmpty()) {
                return load(folder, references.size(), probes.dim());
            }
            notices.accept("repairing the boundaries: " + Checksums.summarise(problems) + "; fitting them again");
        }
        int dim = probes.dim();
        int embDim = probes.embDim();
        int[] accepted = new int[probes.acceptedCount()];
        int[] position = new int[probes.size()];
        for (int i = 0, k = 0; i < probes.size(); i++) {
            position[i] = -1;
            if (probes.accepted()[i]) {
                position[i] = k;
                accepted[k++] = i;
            }
        }
        float[] x = new float[accepted.length * dim];
        float[] e = new float[accepted.length * embDim];
        for (int k = 0; k < accepted.length; k++) {
            System.arraycopy(probes.latents(), accepted[k] * dim, x, k * dim, dim);
            System.arraycopy(probes.embeddings(), accepted[k] * embDim, e, k * embDim, embDim);
        }
        int m = references.size();
        float[] refEmb = new float[m * embDim];
        int[] self = new int[m];
        for (int r = 0; r < m; r++) {
            System.arraycopy(probes.embeddings(), references.get(r) * embDim, refEmb, r * embDim, embDim);
            self[r] = position[references.get(r)];
        }
        long t0 = System.nanoTime();
        float[] sims = Labeler.cosine(refEmb, m, e, accepted.length, embDim);
        double parameter = switch (c.labels().rule()) {
            case RATIO -> c.labels().ratio();
            case THRESHOLD -> c.labels().threshold();
            case MEDIAN -> 0;
        };
        LabelSet labels = Labeler.label(sims, m, accepted.length, self, c.labels().rule().create(parameter),
                c.labels().balanced(), Seeds.mix(c.seed(), LABEL_SEED));
        FitProblem problem = new FitProblem(x, dim, labels, c.labels().trainFraction(), Seeds.mix(c.seed(), SPLIT_SEED));
        // the svm's warm start is a least-squares fit: it takes the ridge least squares would have had
        double ridge = c.fitter().ridge() != null ? c.fitter().ridge() : 1 / (2 * c.fitter().c());
        FitOptions options = new FitOptions(ridge, c.fitter().c(), FitOptions.DEFAULTS.tolerance(),
                FitOptions.DEFAULTS.maxIterations(), true);
        Boundaries b = c.fitter().type().create(options).fit(problem);
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.info(String.format("boundaries: %d fitted with %s in %.2f s (%.1f boundaries/s), held-out accuracy "
                + "mean %.3f, min %.3f", m, c.fitter().type(), seconds, m / seconds, b.meanHeldOutAccuracy(), b.minHeldOutAccuracy()));
        write(folder, b, references);
        return b;
    }

    private static void write(RunFolder folder, Boundaries b, List<Integer> references) {
        Checksums sums = new Checksums();
        sums.write(folder, RunLayout.BOUNDARIES, Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {b.count(), b.dim()}, b.normals())));
        sums.write(folder, RunLayout.OFFSETS, Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {b.count()}, b.offsets())));
        float[] acc = new float[b.count() * 2];
        StringBuilder report = new StringBuilder();
        for (int r = 0; r < b.count(); r++) {
            acc[2 * r] = b.heldOutAccuracy()[r];
            acc[2 * r + 1] = b.trainAccuracy()[r];
            report.append(Json.line(new BoundaryLine(r, references.get(r), b.offsets()[r], b.heldOutAccuracy()[r],
                    b.trainAccuracy()[r])));
        }
        sums.write(folder, RunLayout.BOUNDARY_ACCURACY, Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {b.count(), 2}, acc)));
        sums.write(folder, RunLayout.BOUNDARY_REPORT, report.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        folder.writeAtomically(RunLayout.BOUNDARY_SUMS, sums.toBytes()); // last: marks the stage done
    }

    static Boundaries load(RunFolder folder, int count, int dim) {
        float[] normals = Npy.read(folder.resolve(RunLayout.BOUNDARIES)).floats();
        float[] offsets = Npy.read(folder.resolve(RunLayout.OFFSETS)).floats();
        float[] acc = Npy.read(folder.resolve(RunLayout.BOUNDARY_ACCURACY)).floats();
        float[] held = new float[count];
        float[] train = new float[count];
        for (int r = 0; r < count; r++) {
            held[r] = acc[2 * r];
            train[r] = acc[2 * r + 1];
        }
        return new Boundaries(count, dim, normals, offsets, held, train);
    }
}
