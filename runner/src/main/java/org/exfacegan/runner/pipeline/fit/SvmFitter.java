package org.exfacegan.runner.pipeline.fit;

import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Parallel;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Split;

/**
 * Per-reference squared-hinge SVM (C, LIBLINEAR's bias feature) in raw latent coordinates on the
 * shared training split, warm-started from the least-squares solution rescaled to its best
 * multiple, references in parallel. The normal is the feature weights normalised; the offset is
 * the bias weight over the same norm, so the boundary is exactly the SVM's decision surface.
 */
final class SvmFitter implements BoundaryFitter {
    private final FitOptions options;

    SvmFitter(FitOptions options) {
        this.options = options;
    }

    @Override
    public FitterType type() {
        return FitterType.SVM;
    }

    @Override
    public Boundaries fit(FitProblem p) {
        Split split = p.sharedSplit();
        int d = p.dim(), refs = p.references();
        LeastSquaresFitter.Raw ls = new LeastSquaresFitter(options).solve(p, split);
        int[] train = split.train();
        LabelSet labels = p.labels();
        float[] normals = new float[refs * d];
        float[] offsets = new float[refs];
        Parallel.forEach(refs, r -> {
            int[] rows = Arrays.stream(train).filter(i -> labels.side(r, i) != 0).toArray();
            byte[] y = new byte[rows.length];
            for (int k = 0; k < rows.length; k++) {
                y[k] = labels.side(r, rows[k]);
            }
            SquaredHingeSvm svm = new SquaredHingeSvm(p.latents(), d, rows, y, null, null, options.c());
            double[] w0 = new double[d + 1];
            for (int j = 0; j < d; j++) {
                w0[j] = ls.w()[r * d + j];
            }
            w0[d] = ls.b()[r];
            double[] w = svm.solve(svm.rescale(w0), options.tolerance(), options.maxIterations()).w();
            store(w, d, r, normals, offsets, true);
        });
        return Evaluation.boundaries(p, split, normals, offsets, options.evaluateTrain());
    }

    /** Normalises the feature weights into row r; the offset is the bias over the same norm, or 0. */
    static void store(double[] w, int d, int r, float[] normals, float[] offsets, boolean keepBias) {
        double norm = 0;
        for (int j = 0; j < d; j++) {
            norm += w[j] * w[j];
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0)) {
            throw new ExfaceganException("svm: reference " + r + " has a zero normal (labels carry no signal)");
        }
        for (int j = 0; j < d; j++) {
            normals[r * d + j] = (float) (w[j] / norm);
        }
        offsets[r] = keepBias ? (float) (w[d] / norm) : 0f;
    }
}
