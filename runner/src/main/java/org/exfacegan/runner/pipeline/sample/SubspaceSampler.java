package org.exfacegan.runner.pipeline.sample;

import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * Uses all boundaries together. In whitened coordinates {@code y} ({@link LatentDistribution})
 * with the identity subspace's projector {@code P} ({@link IdentitySubspace}), a sample of the
 * reference {@code y_ref} with unit whitened normal {@code m} is
 * <pre>  y = P (y_ref + step m) + variation (I - P) g,   g ~ N(0, I)</pre>
 * and the latent is {@code mu + L y}. With {@code step} 0 and {@code variation} 1 this is exactly
 * the probe distribution conditioned on the reference's identity coordinates: everything the
 * boundaries call identity is the reference's, everything else varies as it does among real
 * latents (the probe covariance, not an isotropic ball), and a sample is as far from the
 * distribution's centre as a random latent is. {@code step} moves the identity part along the
 * reference's own normal towards its similar side, in units of the spread of the probes' signed
 * distances (as in {@code directional}).
 */
public final class SubspaceSampler implements IdentitySampler {
    private static final long PURPOSE = 0x5B5BL;
    private final LatentDistribution dist;
    private final IdentitySubspace subspace;
    private final double step;
    private final double variation;

    public SubspaceSampler(LatentDistribution dist, IdentitySubspace subspace, double step, double variation) {
        if (!(step >= 0) || !(variation >= 0) || Double.isInfinite(step) || Double.isInfinite(variation)) {
            throw new ExfaceganException("subspace sampler: need step >= 0 and variation >= 0, got " + step + ", " + variation);
        }
        if (dist.dim() != subspace.dim()) {
            throw new ExfaceganException("subspace sampler: subspace of " + subspace.dim() + " dims for latents of " + dist.dim());
        }
        this.dist = dist;
        this.subspace = subspace;
        this.step = step;
        this.variation = variation;
    }

    @Override
    public String name() {
        return "subspace";
    }

    @Override
    public Samples sample(float[] ref, float[] n, float offset, long seed, int identity, int side, int from, int count) {
        if (side != 1) {
            throw new ExfaceganException("subspace sampler: draws the reference's own identity only (side +1), got side " + side);
        }
        int d = ref.length;
        if (d != dist.dim() || n.length != d) {
            throw new ExfaceganException("subspace sampler: identity " + identity + " has a latent of " + d + " and a normal of "
                    + n.length + " dims, the probe distribution " + dist.dim());
        }
        double[] y = dist.whiten(ref, 0);
        double[] m = IdentitySubspace.unit(dist.whitenDirection(n));
        for (int j = 0; j < d; j++) {
            y[j] += step * m[j];
        }
        double[] fixed = subspace.span(subspace.coordinates(y));
        float[] out = new float[count * d];
        float[] distances = new float[count];
        double[] g = new double[d];
        double[] sample = new double[d];
        for (int k = 0; k < count; k++) {
            SplittableRandom rnd = Seeds.random(seed, PURPOSE, identity, from + k);
            for (int j = 0; j < d; j++) {
                g[j] = variation * IdentitySampler.gaussian(rnd);
            }
            double[] inside = subspace.span(subspace.coordinates(g));
            for (int j = 0; j < d; j++) {
                sample[j] = fixed[j] + g[j] - inside[j];
            }
            dist.colour(sample, out, k * d);
            distances[k] = (float) IdentitySampler.signedDistance(n, offset, out, k * d);
        }
        return new Samples(count, d, out, distances);
    }
}
