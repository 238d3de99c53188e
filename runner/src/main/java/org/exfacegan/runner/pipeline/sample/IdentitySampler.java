package org.exfacegan.runner.pipeline.sample;

import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;

/**
 * Draws the latents of one identity from its reference latent and boundary. Sample k of
 * (identity, side) depends only on (seed, identity, side, k): any batching or thread count gives
 * the same latents. Side +1 is the reference's own identity (similar side of the boundary);
 * side -1 is the opposite side, used as a second identity when both sides are on.
 */
public interface IdentitySampler {
    String name();

    /**
     * Samples {@code from .. from+count-1}.
     *
     * @param reference the reference latent (raw coordinates, length dim)
     * @param normal unit normal pointing to the similar side
     * @param offset boundary offset: signed distance of x is normal.x + offset
     */
    Samples sample(float[] reference, float[] normal, float offset, long seed, int identity, int side, int from, int count);

    /** Latents {@code [count x dim]} and each one's signed distance to the boundary. */
    record Samples(int count, int dim, float[] latents, float[] signedDistances) {}

    static void checkSide(int side) {
        if (side != 1 && side != -1) {
            throw new ExfaceganException("sampler side must be +1 (similar) or -1 (other side), got " + side);
        }
    }

    /** Standard normal by Box-Muller (one value per call keeps each draw's stream simple). */
    static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double signedDistance(float[] normal, float offset, float[] w, int wo) {
        double s = offset;
        for (int j = 0; j < normal.length; j++) {
            s += (double) normal[j] * w[wo + j];
        }
        return s;
    }
}
