package org.exfacegan.runner.verification;

import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.report.ErrorRates;

/**
 * insightface's verification protocol on scored pairs ({@code eval/verification.py}):
 * <ul>
 * <li>pairs are split in order into {@code folds} consecutive folds (scikit-learn's unshuffled
 *     KFold: the first n mod folds folds get one pair more);</li>
 * <li>for each fold, the threshold on the squared distance of the unit embeddings,
 *     d = |e1 - e2|^2 = 2 - 2 cos, is chosen from 0, 0.01, ..., 3.99 as the first that maximises
 *     the accuracy on the other folds (a pair is called same when d &lt; threshold), and the
 *     fold's accuracy is measured at it;</li>
 * <li>accuracy = mean over folds, with the population standard deviation.</li>
 * </ul>
 * Beside it, over all pairs: the true accept rate at a false accept rate of 1e-3 and the equal
 * error rate ({@link ErrorRates}, the definitions the dataset report uses). A pair whose image
 * gave no face carries the score {@link #NO_FACE} and is never accepted.
 */
public final class VerificationProtocol {
    public static final int FOLDS = 10;
    public static final double FAR_TARGET = 1e-3;
    /** Score of a pair with an image the recogniser found no face in. */
    public static final double NO_FACE = Double.NEGATIVE_INFINITY;
    /** insightface's grid, np.arange(0, 4, 0.01): element i is i * 0.01, as NumPy computes it. */
    private static final double[] THRESHOLDS = new double[400];

    static {
        for (int i = 0; i < THRESHOLDS.length; i++) {
            THRESHOLDS[i] = i * 0.01;
        }
    }

    private VerificationProtocol() {}

    /**
     * @param scores cosine similarity of each pair ({@link #NO_FACE} when an image gave no face)
     * @param same   whether each pair shows one identity
     * @param folds  folds of the accuracy protocol (insightface: 10)
     */
    public static VerificationResult evaluate(double[] scores, boolean[] same, int folds) {
        int n = scores.length;
        if (same.length != n) {
            throw new IllegalArgumentException(n + " scores for " + same.length + " labels");
        }
        if (folds < 2 || n < folds) {
            throw new ExfaceganException("the " + folds + "-fold protocol needs at least " + Math.max(2, folds)
                    + " pairs and 2 folds; got " + n + " pairs");
        }
        int genuine = 0;
        for (boolean s : same) {
            genuine += s ? 1 : 0;
        }
        if (genuine == 0 || genuine == n) {
            throw new ExfaceganException("the benchmark's " + n + " pairs are all " + (genuine == 0 ? "different" : "same")
                    + "-identity pairs; verification needs both");
        }
        // per pair, how many grid thresholds do not exceed its distance: it is called same from that index on
        int[] cut = new int[n];
        for (int k = 0; k < n; k++) {
            cut[k] = cutIndex(2 - 2 * scores[k]);
        }
        int grid = THRESHOLDS.length;
        long[] sameAll = histogram(cut, same, true, 0, n);
        long[] diffAll = histogram(cut, same, false, 0, n);
        double[] foldAcc = new double[folds];
        double[] foldThr = new double[folds];
        int start = 0;
        for (int f = 0; f < folds; f++) {
            int size = n / folds + (f < n % folds ? 1 : 0);
            int end = start + size;
            long[] sameTest = histogram(cut, same, true, start, end);
            long[] diffTest = histogram(cut, same, false, start, end);
            long[] sameTrain = minus(sameAll, sameTest);
            long[] diffTrain = minus(diffAll, diffTest);
            int best = 0;
            long bestCorrect = -1;
            for (int i = 0; i < grid; i++) {
                long correct = correct(sameTrain, diffTrain, i);
                if (correct > bestCorrect) { // the first maximum, as np.argmax
                    bestCorrect = correct;
                    best = i;
                }
            }
            foldAcc[f] = (double) correct(sameTest, diffTest, best) / size;
            foldThr[f] = 1 - THRESHOLDS[best] / 2;
            start = end;
        }
        double mean = Arrays.stream(foldAcc).sum() / folds;
        double ss = 0;
        for (double a : foldAcc) {
            ss += (a - mean) * (a - mean);
        }
        double[] g = new double[genuine];
        double[] im = new double[n - genuine];
        for (int k = 0, gi = 0, ii = 0; k < n; k++) {
            if (same[k]) {
                g[gi++] = scores[k];
            } else {
                im[ii++] = scores[k];
            }
        }
        ErrorRates rates = ErrorRates.of(g, im);
        return new VerificationResult(n, genuine, n - genuine, folds, mean, Math.sqrt(ss / folds), foldAcc, foldThr,
                FAR_TARGET, 1 - rates.fnmrAtFmr(FAR_TARGET), rates.thresholdAtFmr(FAR_TARGET),
                im.length >= Math.round(1 / FAR_TARGET), rates.eer(), rates.eerThreshold(), finiteMean(g), finiteMean(im));
    }

    /** Number of grid thresholds t with t <= d (d is then called same exactly for the thresholds above them). */
    private static int cutIndex(double d) {
        if (Double.isNaN(d)) {
            return THRESHOLDS.length; // never same
        }
        int lo = 0;
        int hi = THRESHOLDS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (THRESHOLDS[mid] <= d) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Counts per cut index 0..400 of the pairs in [from, to) with the given label. */
    private static long[] histogram(int[] cut, boolean[] same, boolean label, int from, int to) {
        long[] h = new long[THRESHOLDS.length + 1];
        for (int k = from; k < to; k++) {
            if (same[k] == label) {
                h[cut[k]]++;
            }
        }
        return h;
    }

    private static long[] minus(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    /** Pairs decided right at threshold index i: same pairs with cut <= i, different pairs with cut > i. */
    private static long correct(long[] sameHist, long[] diffHist, int i) {
        long c = 0;
        for (int j = 0; j <= i; j++) {
            c += sameHist[j];
        }
        for (int j = i + 1; j < diffHist.length; j++) {
            c += diffHist[j];
        }
        return c;
    }

    private static double finiteMean(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
