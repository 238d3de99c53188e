package org.exfacegan.runner.pipeline.sample;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/**
 * A Gaussian model of the probe latents: mean {@code mu} and covariance {@code S = L L^T} (maximum
 * likelihood, divided by n). Whitened coordinates {@code y = L^-1 (w - mu)} make the probe cloud
 * round: the Mahalanobis distance is {@code |y|}, a signed distance {@code n.w + b} becomes
 * {@code (L^T n).y + const}, and a Gaussian draw {@code g ~ N(0, I)} maps back to a latent
 * distributed like the probes ({@code mu + L g}).
 */
public final class LatentDistribution {
    /** Added to the covariance's diagonal, relative to its mean variance: keeps the factorisation defined, changes nothing else. */
    static final double JITTER = 1e-9;

    private final int n;
    private final int dim;
    private final double[] mean;
    /** Lower-triangular Cholesky factor of the covariance, row-major [dim x dim]. */
    private final double[] chol;

    private LatentDistribution(int n, int dim, double[] mean, double[] chol) {
        this.n = n;
        this.dim = dim;
        this.mean = mean;
        this.chol = chol;
    }

    /**
     * Fits the rows {@code latents [n x dim]}. Needs more rows than dimensions: with fewer the
     * covariance is singular and no distance to the distribution is defined.
     *
     * @param what names the latents in errors (e.g. "accepted probes")
     */
    public static LatentDistribution fit(float[] latents, int n, int dim, String what) {
        if (n <= dim + 1) {
            throw new ExfaceganException(n + " " + what + " for " + dim + " latent dimensions: a distribution of latents "
                    + "needs more of them than dimensions (at least " + (dim + 2) + "); draw more probes");
        }
        double[] mean = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += latents[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        double[] centred = new double[n * dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                centred[i * dim + j] = latents[i * dim + j] - mean[j];
            }
        }
        double[] cov = new double[dim * dim];
        Gemm.gram(centred, n, dim, cov);
        double trace = 0;
        for (int j = 0; j < dim; j++) {
            trace += cov[j * dim + j];
        }
        for (int i = 0; i < cov.length; i++) {
            cov[i] /= n;
        }
        double jitter = JITTER * trace / n / dim;
        for (int j = 0; j < dim; j++) {
            cov[j * dim + j] += jitter;
        }
        CholeskyDecomposition_F64<DMatrixRMaj> c = DecompositionFactory_DDRM.chol(dim, true);
        DMatrixRMaj m = DMatrixRMaj.wrap(dim, dim, cov);
        if (!c.decompose(m) || !(trace > 0)) {
            throw new ExfaceganException("the covariance of " + n + " " + what + " (" + dim + " dims) is singular: "
                    + "the latents do not span their space");
        }
        double[] l = c.getT(null).data;
        for (int i = 0; i < dim; i++) {
            for (int j = i + 1; j < dim; j++) {
                l[i * dim + j] = 0;
            }
        }
        return new LatentDistribution(n, dim, mean, l);
    }

    public int dim() {
        return dim;
    }

    /** Rows the model was fitted on. */
    public int size() {
        return n;
    }

    /** {@code y = L^-1 (w - mu)} of the latent at {@code w[offset .. offset+dim)}. */
    public double[] whiten(float[] w, int offset) {
        double[] y = new double[dim];
        for (int i = 0; i < dim; i++) {
            double s = w[offset + i] - mean[i];
            for (int j = 0; j < i; j++) {
                s -= chol[i * dim + j] * y[j];
            }
            y[i] = s / chol[i * dim + i];
        }
        return y;
    }

    /** Writes {@code mu + L y} to {@code out[offset .. offset+dim)}. */
    public void colour(double[] y, float[] out, int offset) {
        for (int i = 0; i < dim; i++) {
            double s = mean[i];
            for (int j = 0; j <= i; j++) {
                s += chol[i * dim + j] * y[j];
            }
            out[offset + i] = (float) s;
        }
    }

    /**
     * The linear function {@code x -> normal.x} in whitened coordinates: {@code L^T normal}. Its
     * length is the standard deviation of the probes' signed distances to the boundary.
     */
    public double[] whitenDirection(float[] normal) {
        double[] v = new double[dim];
        for (int j = 0; j < dim; j++) {
            double s = 0;
            for (int i = j; i < dim; i++) {
                s += chol[i * dim + j] * normal[i];
            }
            v[j] = s;
        }
        return v;
    }

    /** Mahalanobis distance of the latent at {@code w[offset ..]} to the fitted distribution. */
    public double mahalanobis(float[] w, int offset) {
        double[] y = whiten(w, offset);
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * The distance a fitted row would have to a model fitted without it (exact for this maximum
     * likelihood fit, by Sherman-Morrison): {@code D_loo^2 = n D^2 / (n - 1 - D^2)}. A new latent
     * from the same distribution is as far as a left-out row, not as a fitted one: with 5,000 rows
     * in 512 dims the in-sample distances are about 5% smaller, enough to flag many new
     * latents against an in-sample percentile (37% in a NumPy simulation, 1.2% with this correction).
     */
    public double leaveOneOut(double inSample) {
        double d2 = inSample * inSample;
        return d2 >= n - 1 ? Double.POSITIVE_INFINITY : Math.sqrt(n * d2 / (n - 1 - d2));
    }
}
