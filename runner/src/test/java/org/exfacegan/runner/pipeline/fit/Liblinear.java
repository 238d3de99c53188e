package org.exfacegan.runner.pipeline.fit;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

/** The LIBLINEAR baseline (test scope): L2R_L2LOSS_SVC primal, bias feature 1, as LinearSVC(dual=False). */
public final class Liblinear {
    static {
        Linear.disableDebugOutput();
    }

    private Liblinear() {}

    /**
     * Trains on rows {@code rows} of {@code x [* x d]} (optionally scaled {@code scale*x+shift}) with
     * labels +1/-1; returns d weights then the bias weight, oriented so positive = label +1.
     */
    public static double[] train(float[] x, int d, int[] rows, byte[] y, float[] scale, float[] shift, double c, double eps) {
        Problem p = new Problem();
        p.l = rows.length;
        p.n = d + 1;
        p.bias = 1;
        p.x = new Feature[rows.length][];
        p.y = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            Feature[] f = new Feature[d + 1];
            for (int j = 0; j < d; j++) {
                double v = x[rows[k] * d + j];
                f[j] = new FeatureNode(j + 1, scale == null ? v : v * scale[j] + shift[j]);
            }
            f[d] = new FeatureNode(d + 1, 1.0);
            p.x[k] = f;
            p.y[k] = y[k];
        }
        Model m = Linear.train(p, new Parameter(SolverType.L2R_L2LOSS_SVC, c, eps));
        double[] fw = m.getFeatureWeights();
        double sign = m.getLabels()[0] == 1 ? 1 : -1;
        double[] w = new double[d + 1];
        for (int j = 0; j <= d; j++) {
            w[j] = sign * fw[j];
        }
        return w;
    }
}
