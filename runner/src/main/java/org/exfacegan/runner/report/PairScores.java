package org.exfacegan.runner.report;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Genuine scores (cosine of two images of the same identity) and impostor scores (two images of
 * different identities) over a dataset. Every pair is scored while the pairs fit in
 * {@code maxPairs}; above that a fixed-seed uniform sample of {@code maxPairs} pairs is drawn
 * (with replacement), so the figures of a large dataset are reproducible estimates.
 *
 * @param genuine         genuine scores
 * @param impostor        impostor scores
 * @param genuineSampled  true when genuine pairs were sampled rather than enumerated
 * @param impostorSampled true when impostor pairs were sampled rather than enumerated
 */
public record PairScores(double[] genuine, double[] impostor, boolean genuineSampled, boolean impostorSampled) {
    public static final long DEFAULT_MAX_PAIRS = 2_000_000;

    /**
     * @param identities per identity, its images' L2-normalised embeddings
     */
    public static PairScores of(List<float[][]> identities, long maxPairs, long seed) {
        int m = identities.size();
        long[] within = new long[m + 1]; // cumulative within-identity pair counts
        long total = 0;
        long squares = 0;
        for (int a = 0; a < m; a++) {
            long n = identities.get(a).length;
            within[a + 1] = within[a] + n * (n - 1) / 2;
            total += n;
            squares += n * n;
        }
        long between = (total * total - squares) / 2;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] genuine = within[m] <= maxPairs ? allWithin(identities, (int) within[m])
                : sampleWithin(identities, within, (int) maxPairs, rnd);
        double[] impostor = between <= maxPairs ? allBetween(identities, (int) between)
                : sampleBetween(identities, total, (int) maxPairs, rnd);
        return new PairScores(genuine, impostor, within[m] > maxPairs, between > maxPairs);
    }

    private static double[] allWithin(List<float[][]> ids, int count) {
        double[] out = new double[count];
        int k = 0;
        for (float[][] e : ids) {
            for (int i = 0; i < e.length; i++) {
                for (int j = i + 1; j < e.length; j++) {
                    out[k++] = cosine(e[i], e[j]);
                }
            }
        }
        return out;
    }

    private static double[] allBetween(List<float[][]> ids, int count) {
        double[] out = new double[count];
        int k = 0;
        for (int a = 0; a < ids.size(); a++) {
            for (int b = a + 1; b < ids.size(); b++) {
                for (float[] x : ids.get(a)) {
                    for (float[] y : ids.get(b)) {
                        out[k++] = cosine(x, y);
                    }
                }
            }
        }
        return out;
    }

    /** Uniform over all within-identity pairs: an identity in proportion to its pairs, then a pair of it. */
    private static double[] sampleWithin(List<float[][]> ids, long[] cumulative, int count, SplittableRandom rnd) {
        double[] out = new double[count];
        for (int k = 0; k < count; k++) {
            long r = rnd.nextLong(cumulative[cumulative.length - 1]);
            int a = Arrays.binarySearch(cumulative, r + 1);
            a = a >= 0 ? a - 1 : -a - 2;
            float[][] e = ids.get(a);
            int i = rnd.nextInt(e.length);
            int j = rnd.nextInt(e.length - 1);
            out[k] = cosine(e[i], e[j >= i ? j + 1 : j]);
        }
        return out;
    }

    /** Uniform over all image pairs of different identities: two images at random, redrawn when they share one. */
    private static double[] sampleBetween(List<float[][]> ids, long total, int count, SplittableRandom rnd) {
        int[] owner = new int[(int) total];
        int[] index = new int[(int) total];
        for (int a = 0, k = 0; a < ids.size(); a++) {
            for (int i = 0; i < ids.get(a).length; i++, k++) {
                owner[k] = a;
                index[k] = i;
            }
        }
        double[] out = new double[count];
        for (int k = 0; k < count; ) {
            int x = rnd.nextInt((int) total);
            int y = rnd.nextInt((int) total);
            if (owner[x] != owner[y]) {
                out[k++] = cosine(ids.get(owner[x])[index[x]], ids.get(owner[y])[index[y]]);
            }
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
