package org.exfacegan.runner.pipeline.sample;

import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * The reference code's sampling: {@code w = w_ref + side * u (*) n} with {@code u ~ U(0, maxDist)}
 * drawn per dimension (maxDist 30 by default). With our normal pointing to the similar side, side
 * +1 is the reference's {@code w_ref - u (*) n_ref} (its saved normal points the other way) and
 * side -1 the second identity {@code w_ref + u (*) n_ref}. Note the per-dimension {@code u (*) n}
 * is not a step along the normal; the recorded signed distance shows where each sample lands.
 */
public final class PaperSampler implements IdentitySampler {
    private static final long PURPOSE = 0x5A3FL;
    private final double maxDist;

    public PaperSampler(double maxDist) {
        if (!(maxDist > 0)) {
            throw new ExfaceganException("paper sampler: max_dist must be > 0, got " + maxDist);
        }
        this.maxDist = maxDist;
    }

    @Override
    public SamplingMode mode() {
        return SamplingMode.PAPER;
    }

    @Override
    public Samples sample(float[] ref, float[] n, float offset, long seed, int identity, int side, int from, int count) {
        IdentitySampler.checkSide(side);
        int d = ref.length;
        float[] out = new float[count * d];
        float[] dist = new float[count];
        for (int k = 0; k < count; k++) {
            SplittableRandom rnd = Seeds.random(seed, PURPOSE, identity, side, from + k);
            for (int j = 0; j < d; j++) {
                double u = rnd.nextDouble() * maxDist;
                out[k * d + j] = (float) (ref[j] + side * u * n[j]);
            }
            dist[k] = (float) IdentitySampler.signedDistance(n, offset, out, k * d);
        }
        return new Samples(count, d, out, dist);
    }
}
