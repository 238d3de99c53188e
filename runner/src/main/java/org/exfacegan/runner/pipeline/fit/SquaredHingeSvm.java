package org.exfacegan.runner.pipeline.fit;

import org.exfacegan.runner.pipeline.linalg.Gemm;

/**
 * L2-regularised squared-hinge linear SVM in the primal, LIBLINEAR's L2R_L2LOSS_SVC objective
 * {@code min 1/2 |w|^2 + C sum max(0, 1 - y_i w.x_i)^2}, with LIBLINEAR's bias feature (a constant
 * 1 appended to every x, its weight regularised like the others). Solved by Newton's method with
 * diagonally preconditioned conjugate gradients and a backtracking line search, the scheme of
 * LIBLINEAR 2.4x, stopping on LIBLINEAR's relative gradient criterion.
 *
 * <p>Features may be an affine map of the stored latents, {@code x' = scale (*) x + shift} (the
 * paper's min-max scaling), applied inside the products so scaled copies are never materialised.
 */
final class SquaredHingeSvm {
    private final float[] x;
    private final int d;
    private final int[] rows;
    private final byte[] y;
    private final float[] scale;
    private final float[] shift;
    private final double c;
    private final int l;

    /** Rows {@code rows[k]} of {@code x [* x d]} with labels {@code y[k]} in {-1, +1}. */
    SquaredHingeSvm(float[] x, int d, int[] rows, byte[] y, float[] scale, float[] shift, double c) {
        this.x = x;
        this.d = d;
        this.rows = rows;
        this.y = y;
        this.scale = scale;
        this.shift = shift;
        this.c = c;
        this.l = rows.length;
    }

    /** Result: weights (d features then the bias weight) and Newton iterations used. */
    record Solution(double[] w, int iterations) {}

    Solution solve(double[] w0, double eps, int maxIterations) {
        int n = d + 1;
        double[] w = w0 == null ? new double[n] : w0.clone();
        int pos = 0;
        for (byte v : y) {
            if (v > 0) {
                pos++;
            }
        }
        // LIBLINEAR's stopping rule: |g| <= eps * max(min(pos, neg), 1) / l * |g(w = 0)|
        double[] u0 = new double[l];
        for (int k = 0; k < l; k++) {
            u0[k] = -2 * c * y[k];
        }
        double[] g0 = new double[n];
        mtv(u0, g0);
        double stop = eps * Math.max(Math.min(pos, l - pos), 1) / l * norm(g0);

        double[] z = new double[l];
        mv(w, z);
        double[] g = new double[n];
        double f = gradient(w, z, g);
        double[] s = new double[n];
        double[] xs = new double[l];
        double[] wNew = new double[n];
        int iter = 0;
        while (iter < maxIterations && norm(g) > stop) {
            iter++;
            conjugateGradient(z, g, s);
            mv(s, xs);
            double gs = dot(g, s);
            double alpha = 1;
            double fNew = f;
            for (int ls = 0; ls < 30; ls++) {
                fNew = objective(w, s, alpha, z, xs);
                if (fNew <= f + 0.01 * alpha * gs) {
                    break;
                }
                alpha *= 0.5;
            }
            if (!(fNew <= f + 0.01 * alpha * gs)) {
                break; // no progress possible at float precision
            }
            for (int j = 0; j < n; j++) {
                wNew[j] = w[j] + alpha * s[j];
            }
            System.arraycopy(wNew, 0, w, 0, n);
            for (int k = 0; k < l; k++) {
                z[k] += alpha * xs[k];
            }
            f = gradient(w, z, g);
        }
        return new Solution(w, iter);
    }

    /** Best multiple {@code t w} of a direction (1-D Newton on the piecewise quadratic), for warm starts. */
    double[] rescale(double[] w) {
        double[] z = new double[l];
        mv(w, z);
        double ww = dot(w, w);
        double t = 1;
        for (int it = 0; it < 30; it++) {
            double g = t * ww, h = ww;
            for (int k = 0; k < l; k++) {
                double m = y[k] * z[k];
                if (t * m < 1) {
                    g -= 2 * c * m * (1 - t * m);
                    h += 2 * c * m * m;
                }
            }
            double step = g / h;
            t -= step;
            if (Math.abs(step) <= 1e-10 * Math.abs(t)) {
                break;
            }
        }
        double[] out = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            out[j] = t * w[j];
        }
        return out;
    }

    /** f(w) and its gradient, given z = X w. */
    private double gradient(double[] w, double[] z, double[] g) {
        double[] u = new double[l];
        double loss = 0;
        for (int k = 0; k < l; k++) {
            double m = 1 - y[k] * z[k];
            if (m > 0) {
                loss += m * m;
                u[k] = -2 * c * y[k] * m;
            }
        }
        mtv(u, g);
        for (int j = 0; j < g.length; j++) {
            g[j] += w[j];
        }
        return 0.5 * dot(w, w) + c * loss;
    }

    private double objective(double[] w, double[] s, double alpha, double[] z, double[] xs) {
        double reg = 0;
        for (int j = 0; j < w.length; j++) {
            double v = w[j] + alpha * s[j];
            reg += v * v;
        }
        double loss = 0;
        for (int k = 0; k < l; k++) {
            double m = 1 - y[k] * (z[k] + alpha * xs[k]);
            if (m > 0) {
                loss += m * m;
            }
        }
        return 0.5 * reg + c * loss;
    }

    /** Solves H s = -g approximately; H = I + 2C X_I^T X_I over the active rows I (margin < 1). */
    private void conjugateGradient(double[] z, double[] g, double[] s) {
        int n = d + 1;
        boolean[] active = new boolean[l];
        for (int k = 0; k < l; k++) {
            active[k] = y[k] * z[k] < 1;
        }
        // diagonal preconditioner diag(H); sums over active rows in float (it only steers CG)
        float[] sq = new float[d];
        float[] sum = new float[d];
        int na = 0;
        for (int k = 0; k < l; k++) {
            if (active[k]) {
                int o = rows[k] * d;
                for (int j = 0; j < d; j++) {
                    float v = x[o + j];
                    sq[j] += v * v;
                    sum[j] += v;
                }
                na++;
            }
        }
        double[] m = new double[n];
        for (int j = 0; j < d; j++) {
            double sc = scale == null ? 1 : scale[j], sh = shift == null ? 0 : shift[j];
            m[j] = 1 + 2 * c * (sc * sc * sq[j] + 2 * sc * sh * sum[j] + na * sh * sh);
        }
        m[d] = 1 + 2 * c * na;
        double[] r = new double[n];
        double[] zc = new double[n];
        double[] p = new double[n];
        double[] hp = new double[n];
        java.util.Arrays.fill(s, 0);
        for (int j = 0; j < n; j++) {
            r[j] = -g[j];
            zc[j] = r[j] / m[j];
            p[j] = zc[j];
        }
        double rz = dot(r, zc);
        double tol = 0.1 * norm(g);
        for (int it = 0; it < 2 * n && norm(r) > tol; it++) {
            hessianTimes(active, p, hp);
            double a = rz / dot(p, hp);
            for (int j = 0; j < n; j++) {
                s[j] += a * p[j];
                r[j] -= a * hp[j];
                zc[j] = r[j] / m[j];
            }
            double rzNew = dot(r, zc);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int j = 0; j < n; j++) {
                p[j] = zc[j] + beta * p[j];
            }
        }
    }

    /** out = v + 2C X_I^T (X_I v), in float vector arithmetic (CG tolerates the rounding). */
    private void hessianTimes(boolean[] active, double[] v, double[] out) {
        float[] vs = rawWeights(v);
        double cst = rawConstant(v);
        float[] acc = new float[d];
        double sum = 0;
        for (int k = 0; k < l; k++) {
            if (active[k]) {
                int o = rows[k] * d;
                float t = (float) (Gemm.dot(x, o, vs, 0, d) + cst);
                Gemm.axpy(t, x, o, acc, 0, d);
                sum += t;
            }
        }
        for (int j = 0; j < d; j++) {
            double a = scale == null ? acc[j] : acc[j] * (double) scale[j];
            if (shift != null) {
                a += shift[j] * sum;
            }
            out[j] = v[j] + 2 * c * a;
        }
        out[d] = v[d] + 2 * c * sum;
    }

    /** out[k] = x'_k . v (with the bias feature); the dot products run in float vector arithmetic. */
    void mv(double[] v, double[] out) {
        float[] vs = rawWeights(v);
        double cst = rawConstant(v);
        for (int k = 0; k < l; k++) {
            out[k] = Gemm.dot(x, rows[k] * d, vs, 0, d) + cst;
        }
    }

    /**
     * A weight vector v over the scaled features (plus bias) as weights over the raw latents: x'.v =
     * x.rawWeights(v) + rawConstant(v), so the products run on the raw data without scaling it.
     */
    private float[] rawWeights(double[] v) {
        float[] vs = new float[d];
        for (int j = 0; j < d; j++) {
            vs[j] = (float) (scale == null ? v[j] : v[j] * scale[j]);
        }
        return vs;
    }

    private double rawConstant(double[] v) {
        double cst = v[d];
        if (shift != null) {
            for (int j = 0; j < d; j++) {
                cst += v[j] * shift[j];
            }
        }
        return cst;
    }

    /** out = X'^T u (with the bias feature), in double. */
    private void mtv(double[] u, double[] out) {
        double[] acc = new double[d];
        double sum = 0;
        for (int k = 0; k < l; k++) {
            double uk = u[k];
            if (uk != 0) {
                int o = rows[k] * d;
                for (int j = 0; j < d; j++) {
                    acc[j] += uk * x[o + j];
                }
                sum += uk;
            }
        }
        for (int j = 0; j < d; j++) {
            double a = scale == null ? acc[j] : acc[j] * scale[j];
            if (shift != null) {
                a += shift[j] * sum;
            }
            out[j] = a;
        }
        out[d] = sum;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
