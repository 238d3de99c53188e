package org.exfacegan.runner.testing;

import java.util.SplittableRandom;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * A world small enough to check the pipeline against ground truth: latents of {@link #DIM}
 * dimensions where identity lives in a known subspace (the first {@link #ID_DIM} rows of a fixed
 * rotation) and the rest is nuisance. Images store the rotated coordinates in their pixels; the
 * recogniser reads only the identity ones back.
 */
public final class TinyWorld {
    public static final int DIM = 12;
    public static final int ID_DIM = 4;
    public static final int SIZE = 8; // image side; DIM values fit in the first row

    /** Fixed orthonormal rotation (rows): rows 0..ID_DIM-1 span the identity subspace. */
    public static final double[][] Q = rotation(DIM, 1234);

    private TinyWorld() {}

    /** The rotated coordinates of a latent: identity factors first, then nuisance. */
    public static double[] factors(float[] w, int offset) {
        double[] f = new double[DIM];
        for (int i = 0; i < DIM; i++) {
            double s = 0;
            for (int j = 0; j < DIM; j++) {
                s += Q[i][j] * w[offset + j];
            }
            f[i] = s;
        }
        return f;
    }

    /** Pixel value of a factor: factors in [-4, 4] map to bytes; 8 bits are enough for the tests. */
    public static int encode(double f) {
        return (int) Math.round(Math.max(0, Math.min(255, 127.5 + f * 31.0)));
    }

    public static double decode(int b) {
        return (b - 127.5) / 31.0;
    }

    private static double[][] rotation(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = gaussian(rnd);
            }
            for (int k = 0; k < i; k++) { // Gram-Schmidt
                double d = 0;
                for (int j = 0; j < n; j++) {
                    d += q[i][j] * q[k][j];
                }
                for (int j = 0; j < n; j++) {
                    q[i][j] -= d * q[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                q[i][j] /= norm;
            }
        }
        return q;
    }

    /** z ~ N(0, I) [count x dim] for samples firstIndex.. of the stream named by seed (each depends on (seed, index) only). */
    public static FloatTensor normalLatents(long seed, long firstIndex, int count, int dim) {
        float[] z = new float[count * dim];
        for (int i = 0; i < count; i++) {
            var rnd = Seeds.random(seed, firstIndex + i);
            for (int j = 0; j < dim; j++) {
                z[i * dim + j] = (float) gaussian(rnd);
            }
        }
        return FloatTensor.of(z, count, dim);
    }

    public static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
