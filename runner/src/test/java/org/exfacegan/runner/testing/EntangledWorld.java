package org.exfacegan.runner.testing;

import java.util.SplittableRandom;

/**
 * A second ground-truth world, built independently of the demo world and of {@link TinyWorld}, to
 * check that sampling follows from the latents and boundaries alone: z [40] -> w [40] through a
 * random leaky-ReLU network (correlated, non-Gaussian latents, as GAN w codes are); 6 identity
 * factors {@code tanh} of random directions in w (nonlinear in w) and 10 nuisance factors along
 * other random directions (not orthogonal to the identity ones: entangled); 24 directions of w
 * change nothing. The recogniser sees identity plus a little nuisance (real recognisers are not
 * perfectly invariant to pose and light), with noise-free embeddings.
 */
public final class EntangledWorld {
    public static final int Z = 40;
    public static final int W = 40;
    public static final int HIDDEN = 80;
    public static final int ID = 6;
    public static final int NUISANCE = 10;
    /** How much of the first two nuisance factors the recogniser sees. */
    public static final double LEAK = 0.25;
    /** Image side: 40 floats as 160 bytes fit in the first rows of 16 x 16 x 3. */
    public static final int SIZE = 16;

    private static final double[] B1 = gaussians(1, Z * HIDDEN, Math.sqrt(2.0 / Z));
    private static final double[] C1 = gaussians(2, HIDDEN, 0.5);
    private static final double[] B2 = gaussians(3, HIDDEN * W, Math.sqrt(1.0 / HIDDEN));
    private static final double[] C2 = gaussians(4, W, 0.5);
    private static final double[] IDENTITY = gaussians(5, ID * W, 1);
    private static final double[] NUISANCE_DIRS = gaussians(6, NUISANCE * W, 1);

    private EntangledWorld() {}

    /** The mapping network: z [n x Z] -> w [n x W]. */
    public static float[] map(float[] z, int n) {
        float[] w = new float[n * W];
        double[] h = new double[HIDDEN];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < HIDDEN; k++) {
                double s = C1[k];
                for (int j = 0; j < Z; j++) {
                    s += z[i * Z + j] * B1[j * HIDDEN + k];
                }
                h[k] = s > 0 ? s : 0.2 * s;
            }
            for (int k = 0; k < W; k++) {
                double s = C2[k];
                for (int j = 0; j < HIDDEN; j++) {
                    s += h[j] * B2[j * W + k];
                }
                w[i * W + k] = (float) s;
            }
        }
        return w;
    }

    /** True identity factors of w: tanh of projections on random directions. */
    public static double[] identity(float[] w, int offset) {
        double[] t = project(IDENTITY, ID, w, offset);
        for (int k = 0; k < ID; k++) {
            t[k] = Math.tanh(t[k] / Math.sqrt(W));
        }
        return t;
    }

    /** True nuisance factors of w: projections on other random directions. */
    public static double[] nuisance(float[] w, int offset) {
        double[] v = project(NUISANCE_DIRS, NUISANCE, w, offset);
        for (int k = 0; k < NUISANCE; k++) {
            v[k] /= Math.sqrt(W);
        }
        return v;
    }

    /** What the recogniser computes from a latent: identity plus a little nuisance, L2-normalised. */
    public static float[] embedding(float[] w, int offset) {
        double[] t = identity(w, offset);
        double[] v = nuisance(w, offset);
        float[] e = new float[ID + 2];
        double nn = 0;
        for (int k = 0; k < ID + 2; k++) {
            double x = k < ID ? t[k] : LEAK * v[k - ID];
            e[k] = (float) x;
            nn += x * x;
        }
        for (int k = 0; k < e.length; k++) {
            e[k] /= (float) Math.sqrt(nn);
        }
        return e;
    }

    private static double[] project(double[] dirs, int rows, float[] w, int offset) {
        double[] out = new double[rows];
        for (int k = 0; k < rows; k++) {
            double s = 0;
            for (int j = 0; j < W; j++) {
                s += dirs[k * W + j] * w[offset + j];
            }
            out[k] = s;
        }
        return out;
    }

    private static double[] gaussians(long seed, int n, double scale) {
        SplittableRandom rnd = new SplittableRandom(0xE27A46L + seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = scale * TinyWorld.gaussian(rnd);
        }
        return out;
    }
}
