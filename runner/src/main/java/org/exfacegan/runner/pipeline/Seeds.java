package org.exfacegan.runner.pipeline;

import java.util.SplittableRandom;

/**
 * Derived seeds: every random stream of the pipeline is keyed by (run seed, purpose, indices), so
 * what a reference or a sample gets does not depend on batching, threads or order of work.
 */
public final class Seeds {
    private Seeds() {}

    /** SplitMix64 finaliser over the parts, chained. */
    public static long mix(long seed, long... parts) {
        long h = fmix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : parts) {
            h = fmix(h ^ fmix(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    public static SplittableRandom random(long seed, long... parts) {
        return new SplittableRandom(mix(seed, parts));
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
