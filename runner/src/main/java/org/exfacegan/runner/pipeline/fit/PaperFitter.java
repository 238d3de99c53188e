package org.exfacegan.runner.pipeline.fit;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Parallel;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.label.LabelRule;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Split;

/**
 * The reference code's recipe (fdbtrs/ExFaceGAN {@code train_boundaries.py}), per reference:
 * MinMaxScaler to [-1, 1] fitted on all of that reference's probes; the balanced sides (2,499 each
 * in the paper: the labels must be balanced); each side shuffled and split, floor(70%) to train
 * (1,749 + 1,749 = 3,498) and the rest held out (750 + 750); LinearSVC(dual=False): squared hinge,
 * L2, C = 1, intercept fitted as LIBLINEAR's bias feature. Then its defects, on purpose: the
 * normal is coef / |coef| in the SCALED coordinates yet used on raw latents, and the intercept is
 * dropped (offset 0). The accuracies are those of the scaled classifier with its intercept, as
 * the reference code prints them. Sign: our normal points to the similar side; the reference's
 * labels 1 = dissimilar, so its saved boundary is the negation of ours.
 */
final class PaperFitter implements BoundaryFitter {
    private static final long PAPER = 0x9A9E5;
    private final FitOptions options;

    PaperFitter(FitOptions options) {
        this.options = options;
    }

    @Override
    public FitterType type() {
        return FitterType.PAPER;
    }

    /** Per-dimension min-max scaling to [-1, 1]: {@code x' = scale x + shift}, scikit-learn's rules. */
    record MinMax(float[] scale, float[] shift) {
        static MinMax fit(float[] x, int d, int[] rows) {
            double[] lo = new double[d], hi = new double[d];
            Arrays.fill(lo, Double.POSITIVE_INFINITY);
            Arrays.fill(hi, Double.NEGATIVE_INFINITY);
            for (int i : rows) {
                for (int j = 0; j < d; j++) {
                    double v = x[i * d + j];
                    lo[j] = Math.min(lo[j], v);
                    hi[j] = Math.max(hi[j], v);
                }
            }
            float[] scale = new float[d], shift = new float[d];
            for (int j = 0; j < d; j++) {
                double range = hi[j] - lo[j];
                double s = 2 / (range == 0 ? 1 : range); // scikit-learn: a constant feature counts range 1, maps to -1
                scale[j] = (float) s;
                shift[j] = (float) (-1 - lo[j] * s);
            }
            return new MinMax(scale, shift);
        }
    }

    /** One reference's data as the reference code prepares it. */
    record Plan(MinMax scaler, int[] trainRows, byte[] trainY, int[] heldRows, byte[] heldY) {}

    static Plan plan(FitProblem p, int r) {
        LabelSet labels = p.labels();
        int self = labels.self(r);
        int[] probes = IntStream.range(0, p.probes()).filter(i -> i != self).toArray();
        MinMax mm = MinMax.fit(p.latents(), p.dim(), probes);
        int[] pos = labels.indices(r, LabelRule.SIMILAR);
        int[] neg = labels.indices(r, LabelRule.DISSIMILAR);
        balancedSides(labels, r);
        Seeds.shuffle(pos, Seeds.random(p.seed(), PAPER, r, 1));
        Seeds.shuffle(neg, Seeds.random(p.seed(), PAPER, r, -1));
        int tn = Split.perSideTrainCount(pos.length, p.trainFraction());
        int vn = pos.length - tn;
        int[] trRows = new int[2 * tn];
        int[] vaRows = new int[2 * vn];
        byte[] trY = new byte[2 * tn];
        byte[] vaY = new byte[2 * vn];
        for (int k = 0; k < tn; k++) {
            trRows[k] = pos[k];
            trY[k] = 1;
            trRows[tn + k] = neg[k];
            trY[tn + k] = -1;
        }
        for (int k = 0; k < vn; k++) {
            vaRows[k] = pos[tn + k];
            vaY[k] = 1;
            vaRows[vn + k] = neg[tn + k];
            vaY[vn + k] = -1;
        }
        return new Plan(mm, trRows, trY, vaRows, vaY);
    }

    private static void balancedSides(LabelSet labels, int r) {
        int pos = labels.count(r, LabelRule.SIMILAR), neg = labels.count(r, LabelRule.DISSIMILAR);
        if (pos != neg || pos == 0) {
            throw new ExfaceganException("paper fitter: reference " + r + " has " + pos + " similar and "
                    + neg + " dissimilar probes; the paper recipe needs balanced, non-empty sides");
        }
    }

    @Override
    public Boundaries fit(FitProblem p) {
        int d = p.dim(), refs = p.references();
        float[] normals = new float[refs * d];
        float[] offsets = new float[refs];
        float[] held = new float[refs];
        float[] train = new float[refs];
        for (int r = 0; r < refs; r++) { // check all first: the error names the lowest failing reference
            balancedSides(p.labels(), r);
        }
        // warm start only (the problem is strictly convex, the optimum is the same): the batched
        // least-squares fit mapped into each reference's scaled coordinates
        LeastSquaresFitter.Raw ls = new LeastSquaresFitter(options).solve(p, p.sharedSplit());
        Parallel.forEach(refs, r -> {
            Plan plan = plan(p, r);
            MinMax mm = plan.scaler();
            SquaredHingeSvm svm = new SquaredHingeSvm(p.latents(), d, plan.trainRows(), plan.trainY(), mm.scale, mm.shift, options.c());
            double[] w0 = new double[d + 1];
            w0[d] = ls.b()[r];
            for (int j = 0; j < d; j++) {
                w0[j] = ls.w()[r * d + j] / mm.scale[j]; // w.x + b = (w / s).(s x + m) - (w / s).m + b
                w0[d] -= w0[j] * mm.shift[j];
            }
            double[] w = svm.solve(svm.rescale(w0), options.tolerance(), options.maxIterations()).w();
            train[r] = accuracy(svm, w, plan.trainY());
            held[r] = plan.heldRows().length == 0 ? Float.NaN : accuracy(
                    new SquaredHingeSvm(p.latents(), d, plan.heldRows(), plan.heldY(), mm.scale, mm.shift, options.c()), w, plan.heldY());
            SvmFitter.store(w, d, r, normals, offsets, false);
        });
        return new Boundaries(refs, d, normals, offsets, held, train);
    }

    private static float accuracy(SquaredHingeSvm data, double[] w, byte[] y) {
        double[] z = new double[y.length];
        data.mv(w, z);
        int ok = 0;
        for (int k = 0; k < y.length; k++) {
            if ((z[k] > 0) == (y[k] > 0)) {
                ok++;
            }
        }
        return (float) ok / y.length;
    }
}
