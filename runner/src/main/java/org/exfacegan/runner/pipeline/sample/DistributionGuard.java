package org.exfacegan.runner.pipeline.sample;

import java.util.Arrays;

/**
 * Says whether a latent lies inside the probe latents' distribution, without ground truth: its
 * Mahalanobis distance to the probes' Gaussian model against the probes' own 99th percentile.
 * The probes' distances are taken leave-one-out ({@link LatentDistribution#leaveOneOut}), so a
 * latent drawn like a probe is outside with probability 1% whatever the dimension; a sampler that
 * leaves the distribution (the paper's {@code max_dist} 30) shows as a large share outside.
 */
public final class DistributionGuard {
    public static final double PERCENTILE = 0.99;

    private final LatentDistribution dist;
    private final double threshold;

    private DistributionGuard(LatentDistribution dist, double threshold) {
        this.dist = dist;
        this.threshold = threshold;
    }

    /** The guard of the latents {@code dist} was fitted on ({@code probes [n x dim]}, the same rows). */
    public static DistributionGuard of(LatentDistribution dist, float[] probes) {
        int d = dist.dim();
        int n = probes.length / d;
        double[] loo = new double[n];
        for (int i = 0; i < n; i++) {
            loo[i] = dist.leaveOneOut(dist.mahalanobis(probes, i * d));
        }
        Arrays.sort(loo);
        // the smallest value with at least 99% of the probes at or below it
        int at = Math.min(n - 1, (int) Math.ceil(PERCENTILE * n) - 1);
        return new DistributionGuard(dist, loo[at]);
    }

    /** Mahalanobis distance of the latent at {@code w[offset ..]}. */
    public double distance(float[] w, int offset) {
        return dist.mahalanobis(w, offset);
    }

    /** The probes' 99th percentile of (leave-one-out) distances. */
    public double threshold() {
        return threshold;
    }

    public boolean outside(double distance) {
        return distance > threshold;
    }
}
