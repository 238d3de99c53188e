package org.exfacegan.runner.pipeline.fit;

import java.util.Random;
import org.exfacegan.runner.pipeline.label.LabelRule;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Labeler;

/**
 * Test worlds. {@link #linear}: each reference r has a known unit direction u_r and its probes'
 * similarity is u_r.x plus optional noise, so the median labels are (nearly) linear in x.
 * {@link #embedded}: a face-like world, where identity = a random projection of the latent plus
 * nuisance, embeddings L2-normalised, similarity = cosine to the reference's embedding.
 */
public final class SyntheticWorld {
    public final int probes;
    public final int dim;
    public final float[] latents;
    public final float[] directions; // [refs x dim] unit, linear world only
    public final LabelSet labels;

    private SyntheticWorld(int probes, int dim, float[] latents, float[] directions, LabelSet labels) {
        this.probes = probes;
        this.dim = dim;
        this.latents = latents;
        this.directions = directions;
        this.labels = labels;
    }

    /** Latents with a nonzero mean and unequal per-dimension spread, like GAN w codes. */
    static float[] latents(Random rnd, int n, int d) {
        float[] x = new float[n * d];
        for (int j = 0; j < d; j++) {
            double mean = rnd.nextGaussian() * 0.5, sd = 0.3 + 1.5 * rnd.nextDouble();
            for (int i = 0; i < n; i++) {
                x[i * d + j] = (float) (mean + sd * rnd.nextGaussian());
            }
        }
        return x;
    }

    public static SyntheticWorld linear(long seed, int probes, int dim, int refs, double noise, boolean balanced) {
        Random rnd = new Random(seed);
        float[] x = latents(rnd, probes, dim);
        float[] u = new float[refs * dim];
        float[] sims = new float[refs * probes];
        for (int r = 0; r < refs; r++) {
            double nn = 0;
            for (int j = 0; j < dim; j++) {
                u[r * dim + j] = (float) rnd.nextGaussian();
                nn += u[r * dim + j] * u[r * dim + j];
            }
            for (int j = 0; j < dim; j++) {
                u[r * dim + j] /= (float) Math.sqrt(nn);
            }
            for (int i = 0; i < probes; i++) {
                double s = 0;
                for (int j = 0; j < dim; j++) {
                    s += u[r * dim + j] * x[i * dim + j];
                }
                sims[r * probes + i] = (float) (s + noise * rnd.nextGaussian());
            }
        }
        int[] self = new int[refs];
        java.util.Arrays.fill(self, -1);
        LabelSet labels = Labeler.label(sims, refs, probes, self, new LabelRule.Median(), balanced, seed);
        return new SyntheticWorld(probes, dim, x, u, labels);
    }

    /** References are extra draws (not probes), as in the benchmark: self = -1. */
    public static SyntheticWorld embedded(long seed, int probes, int dim, int refs, int idDim, double nuisance) {
        Random rnd = new Random(seed);
        float[] x = latents(rnd, probes + refs, dim);
        float[] a = new float[idDim * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextGaussian() / Math.sqrt(dim));
        }
        float[] e = new float[(probes + refs) * idDim];
        for (int i = 0; i < probes + refs; i++) {
            double nn = 0;
            for (int k = 0; k < idDim; k++) {
                double s = 0;
                for (int j = 0; j < dim; j++) {
                    s += a[k * dim + j] * x[i * dim + j];
                }
                s = Math.tanh(s) + nuisance * rnd.nextGaussian();
                e[i * idDim + k] = (float) s;
                nn += s * s;
            }
            for (int k = 0; k < idDim; k++) {
                e[i * idDim + k] /= (float) Math.sqrt(nn);
            }
        }
        float[] pe = java.util.Arrays.copyOfRange(e, refs * idDim, e.length);
        float[] re = java.util.Arrays.copyOfRange(e, 0, refs * idDim);
        float[] sims = Labeler.cosine(re, refs, pe, probes, idDim);
        int[] self = new int[refs];
        java.util.Arrays.fill(self, -1);
        LabelSet labels = Labeler.label(sims, refs, probes, self, new LabelRule.Median(), true, seed);
        float[] px = java.util.Arrays.copyOfRange(x, refs * dim, x.length);
        return new SyntheticWorld(probes, dim, px, null, labels);
    }

    public FitProblem problem(long seed) {
        return new FitProblem(latents, dim, labels, 0.7, seed);
    }

    static double cosine(float[] a, int ao, float[] b, int bo, int d) {
        double ab = 0, aa = 0, bb = 0;
        for (int j = 0; j < d; j++) {
            ab += (double) a[ao + j] * b[bo + j];
            aa += (double) a[ao + j] * a[ao + j];
            bb += (double) b[bo + j] * b[bo + j];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
