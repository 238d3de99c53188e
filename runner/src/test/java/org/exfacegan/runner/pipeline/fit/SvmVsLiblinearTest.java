package org.exfacegan.runner.pipeline.fit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.exfacegan.runner.pipeline.label.Split;
import org.junit.jupiter.api.Test;

/** Our squared-hinge solver against LIBLINEAR (L2R_L2LOSS_SVC, C = 1, bias 1) on the same data. */
class SvmVsLiblinearTest {
    private static final int DIM = 32;

    private static double cosine(float[] n, int no, double[] w) {
        double ab = 0, bb = 0, aa = 0;
        for (int j = 0; j < DIM; j++) {
            ab += n[no + j] * w[j];
            bb += w[j] * w[j];
            aa += n[no + j] * n[no + j];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double accuracy(double[] w, float[] x, int[] rows, byte[] y, float[] scale, float[] shift) {
        int ok = 0;
        for (int k = 0; k < rows.length; k++) {
            double v = w[DIM];
            for (int j = 0; j < DIM; j++) {
                double f = x[rows[k] * DIM + j];
                v += w[j] * (scale == null ? f : f * scale[j] + shift[j]);
            }
            ok += (v > 0) == (y[k] > 0) ? 1 : 0;
        }
        return (double) ok / rows.length;
    }

    @Test
    void svmMatchesLiblinear() {
        SyntheticWorld w = SyntheticWorld.embedded(21, 1200, DIM, 6, 8, 0.3);
        FitProblem p = w.problem(4);
        Boundaries svm = FitterType.SVM.create(FitOptions.DEFAULTS).fit(p);
        Boundaries ls = FitterType.LEAST_SQUARES.create(FitOptions.DEFAULTS).fit(p);
        Split split = p.sharedSplit();
        double minCos = 1, maxDiff = 0, lsCos = 0;
        for (int r = 0; r < p.references(); r++) {
            int ref = r;
            int[] rows = Arrays.stream(split.train()).filter(i -> w.labels.side(ref, i) != 0).toArray();
            int[] held = Arrays.stream(split.heldOut()).filter(i -> w.labels.side(ref, i) != 0).toArray();
            double[] ll = Liblinear.train(w.latents, DIM, rows, sides(w, r, rows), null, null, 1.0, 1e-4);
            double cos = cosine(svm.normals(), r * DIM, ll);
            double diff = 100 * Math.abs(svm.heldOutAccuracy()[r] - accuracy(ll, w.latents, held, sides(w, r, held), null, null));
            minCos = Math.min(minCos, cos);
            maxDiff = Math.max(maxDiff, diff);
            lsCos += cosine(ls.normals(), r * DIM, ll) / p.references();
        }
        System.out.printf("svm vs LIBLINEAR: min cosine %.5f, max held-out difference %.2f points; least-squares vs LIBLINEAR mean cosine %.4f; held-out svm %.2f%% least-squares %.2f%%%n",
                minCos, maxDiff, lsCos, 100 * svm.meanHeldOutAccuracy(), 100 * ls.meanHeldOutAccuracy());
        assertTrue(minCos >= 0.99, "cosine " + minCos);
        assertTrue(maxDiff <= 0.5, "held-out accuracy difference " + maxDiff);
        assertTrue(svm.meanHeldOutAccuracy() > 0.6, "the world carries signal: " + svm.meanHeldOutAccuracy());
    }

    @Test
    void paperModeMatchesLiblinearOnTheScaledData() {
        SyntheticWorld w = SyntheticWorld.embedded(22, 1001, DIM, 4, 8, 0.3);
        FitProblem p = w.problem(5);
        Boundaries paper = FitterType.PAPER.create(FitOptions.DEFAULTS).fit(p);
        double minCos = 1, maxDiff = 0;
        for (int r = 0; r < p.references(); r++) {
            PaperFitter.Plan plan = PaperFitter.plan(p, r);
            float[] sc = plan.scaler().scale(), sh = plan.scaler().shift();
            double[] ll = Liblinear.train(w.latents, DIM, plan.trainRows(), plan.trainY(), sc, sh, 1.0, 1e-4);
            minCos = Math.min(minCos, cosine(paper.normals(), r * DIM, ll));
            maxDiff = Math.max(maxDiff, 100 * Math.abs(paper.heldOutAccuracy()[r]
                    - accuracy(ll, w.latents, plan.heldRows(), plan.heldY(), sc, sh)));
        }
        System.out.printf("paper vs LIBLINEAR on min-max scaled data: min cosine %.5f, max held-out difference %.2f points%n", minCos, maxDiff);
        assertTrue(minCos >= 0.99, "cosine " + minCos);
        assertTrue(maxDiff <= 0.5, "held-out accuracy difference " + maxDiff);
    }

    private static byte[] sides(SyntheticWorld w, int r, int[] rows) {
        byte[] y = new byte[rows.length];
        for (int k = 0; k < rows.length; k++) {
            y[k] = w.labels.side(r, rows[k]);
        }
        return y;
    }
}
