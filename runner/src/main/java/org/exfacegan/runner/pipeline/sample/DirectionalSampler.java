package org.exfacegan.runner.pipeline.sample;

import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * Exact signed distances: from the reference's projection onto the boundary plane
 * {@code p = w_ref - (n.w_ref + b) n}, a sample is {@code p + side * d * n + (g - (n.g) n)} with
 * {@code d ~ U(dMin, dMax)} and {@code g ~ N(0, sigma^2 I)}: Gaussian variation projected into the
 * plane, so the sample's signed distance is exactly {@code side * d} (up to float rounding).
 */
public final class DirectionalSampler implements IdentitySampler {
    private static final long PURPOSE = 0xD12EL;
    private final double dMin;
    private final double dMax;
    private final double sigma;

    public DirectionalSampler(double dMin, double dMax, double sigma) {
        if (!(dMin >= 0 && dMax >= dMin) || !(sigma >= 0)) {
            throw new ExfaceganException("directional sampler: need 0 <= d_min <= d_max and sigma >= 0, got "
                    + dMin + ", " + dMax + ", " + sigma);
        }
        this.dMin = dMin;
        this.dMax = dMax;
        this.sigma = sigma;
    }

    @Override
    public String name() {
        return "directional";
    }

    @Override
    public Samples sample(float[] ref, float[] n, float offset, long seed, int identity, int side, int from, int count) {
        IdentitySampler.checkSide(side);
        int d = ref.length;
        double nn = 0;
        for (float v : n) {
            nn += (double) v * v;
        }
        if (Math.abs(nn - 1) > 1e-3) {
            throw new ExfaceganException("directional sampler: normal of identity " + identity + " has length "
                    + Math.sqrt(nn) + ", expected a unit vector");
        }
        double s0 = IdentitySampler.signedDistance(n, offset, ref, 0);
        double[] p = new double[d];
        for (int j = 0; j < d; j++) {
            p[j] = ref[j] - s0 * n[j] / nn;
        }
        float[] out = new float[count * d];
        float[] dist = new float[count];
        double[] g = new double[d];
        for (int k = 0; k < count; k++) {
            SplittableRandom rnd = Seeds.random(seed, PURPOSE, identity, side, from + k);
            double dk = side * (dMin + (dMax - dMin) * rnd.nextDouble());
            double gn = 0;
            for (int j = 0; j < d; j++) {
                g[j] = sigma * IdentitySampler.gaussian(rnd);
                gn += g[j] * n[j];
            }
            for (int j = 0; j < d; j++) {
                out[k * d + j] = (float) (p[j] + (dk - gn) / nn * n[j] + g[j]);
            }
            dist[k] = (float) dk;
        }
        return new Samples(count, d, out, dist);
    }
}
