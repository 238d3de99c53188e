package org.exfacegan.runner.report;

import java.util.List;

/**
 * Per-identity figures of a dataset's embeddings: how close samples stay to their reference,
 * how varied an identity's images are, and how many identity pairs look alike.
 */
public final class IdentityStats {
    private IdentityStats() {}

    /**
     * Identity consistency: cosine of every sample to its identity's reference.
     *
     * @return {mean over all samples, lowest identity mean}
     */
    public static double[] consistency(List<float[][]> identities, List<float[]> references) {
        double sum = 0;
        long n = 0;
        double worst = Double.NaN;
        for (int a = 0; a < identities.size(); a++) {
            double idSum = 0;
            for (float[] x : identities.get(a)) {
                idSum += PairScores.cosine(x, references.get(a));
            }
            int k = identities.get(a).length;
            if (k > 0) {
                worst = Double.isNaN(worst) ? idSum / k : Math.min(worst, idSum / k);
                sum += idSum;
                n += k;
            }
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, worst};
    }

    /**
     * Intra-identity diversity: per identity with two or more images, 1 - the mean cosine over its
     * image pairs; averaged over those identities (NaN when there is none).
     */
    public static double diversity(List<float[][]> identities) {
        double sum = 0;
        int counted = 0;
        for (float[][] e : identities) {
            if (e.length < 2) {
                continue;
            }
            double s = 0;
            for (int i = 0; i < e.length; i++) {
                for (int j = i + 1; j < e.length; j++) {
                    s += PairScores.cosine(e[i], e[j]);
                }
            }
            sum += 1 - s / ((double) e.length * (e.length - 1) / 2);
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** An identity's centre: the L2-normalised mean of its embeddings. */
    public static float[] centre(float[][] e) {
        float[] c = new float[e[0].length];
        for (float[] x : e) {
            for (int k = 0; k < c.length; k++) {
                c[k] += x[k];
            }
        }
        double norm = 0;
        for (float v : c) {
            norm += (double) v * v;
        }
        float inv = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int k = 0; k < c.length; k++) {
            c[k] *= inv;
        }
        return c;
    }

    /**
     * Look-alike identity pairs: pairs of identities whose centres have a cosine above the threshold.
     *
     * @return {pairs above the threshold, all pairs}
     */
    public static long[] lookAlikes(List<float[][]> identities, double threshold) {
        // an identity with no embedded image (all rejected on re-embedding) has no centre
        float[][] centres = identities.stream().filter(e -> e.length > 0).map(IdentityStats::centre).toArray(float[][]::new);
        long above = 0;
        long pairs = 0;
        for (int a = 0; a < centres.length; a++) {
            for (int b = a + 1; b < centres.length; b++) {
                pairs++;
                if (PairScores.cosine(centres[a], centres[b]) > threshold) {
                    above++;
                }
            }
        }
        return new long[] {above, pairs};
    }
}
