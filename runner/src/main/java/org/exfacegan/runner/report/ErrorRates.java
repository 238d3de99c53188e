package org.exfacegan.runner.report;

import java.util.Arrays;

/**
 * Verification error rates of similarity scores at every decision threshold (ISO/IEC 19795-1
 * terms): a comparison is accepted as a match when its score is {@code >= t};
 * FMR(t) = impostor scores >= t / impostors, FNMR(t) = genuine scores < t / genuines. The
 * thresholds are the distinct scores, ascending, plus +infinity (nothing accepted).
 */
public final class ErrorRates {
    private final double[] thresholds;
    private final double[] fmr;
    private final double[] fnmr;

    private ErrorRates(double[] thresholds, double[] fmr, double[] fnmr) {
        this.thresholds = thresholds;
        this.fmr = fmr;
        this.fnmr = fnmr;
    }

    public static ErrorRates of(double[] genuine, double[] impostor) {
        if (genuine.length == 0 || impostor.length == 0) {
            throw new IllegalArgumentException("error rates need genuine and impostor scores (got " + genuine.length
                    + " genuine, " + impostor.length + " impostor)");
        }
        double[] g = genuine.clone();
        double[] im = impostor.clone();
        Arrays.sort(g);
        Arrays.sort(im);
        double[] all = new double[g.length + im.length + 1];
        System.arraycopy(g, 0, all, 0, g.length);
        System.arraycopy(im, 0, all, g.length, im.length);
        all[all.length - 1] = Double.POSITIVE_INFINITY;
        Arrays.sort(all);
        int n = 0;
        for (int k = 0; k < all.length; k++) {
            if (k == 0 || all[k] != all[k - 1]) {
                all[n++] = all[k];
            }
        }
        double[] t = Arrays.copyOf(all, n);
        double[] fmr = new double[n];
        double[] fnmr = new double[n];
        int gi = 0; // genuine scores below t
        int ii = 0; // impostor scores below t
        for (int k = 0; k < n; k++) {
            while (gi < g.length && g[gi] < t[k]) {
                gi++;
            }
            while (ii < im.length && im[ii] < t[k]) {
                ii++;
            }
            fnmr[k] = (double) gi / g.length;
            fmr[k] = (double) (im.length - ii) / im.length;
        }
        return new ErrorRates(t, fmr, fnmr);
    }

    /**
     * Equal error rate as pyeer computes it (the tool the ExFaceGAN repository's
     * {@code dataset_EER.sh} calls), after Maio et al., FVC2000: t2 is the first threshold where
     * FMR <= FNMR, t1 the one before it (unless FMR = FNMR exactly at t2); of the two, the one with
     * the smaller FMR + FNMR gives EER = (FMR + FNMR) / 2.
     */
    public double eer() {
        return (fmr[eerIndex()] + fnmr[eerIndex()]) / 2;
    }

    /** The threshold at which {@link #eer()} is taken. */
    public double eerThreshold() {
        return thresholds[eerIndex()];
    }

    private int eerIndex() {
        int t2 = 0;
        while (fmr[t2] - fnmr[t2] > 0) { // ends at +infinity at the latest: FMR 0, FNMR 1
            t2++;
        }
        int t1 = (fmr[t2] != fnmr[t2] && t2 > 0) ? t2 - 1 : t2;
        return fmr[t1] + fnmr[t1] <= fmr[t2] + fnmr[t2] ? t1 : t2;
    }

    /**
     * FNMR at the operating point FMR = target (ISO/IEC 19795-1): the lowest FNMR among thresholds
     * whose FMR does not exceed the target, i.e. the FNMR at the smallest such threshold.
     */
    public double fnmrAtFmr(double target) {
        return fnmr[indexAtFmr(target)];
    }

    /** The smallest threshold whose FMR does not exceed the target. */
    public double thresholdAtFmr(double target) {
        return thresholds[indexAtFmr(target)];
    }

    private int indexAtFmr(double target) {
        int k = 0;
        while (fmr[k] > target) { // FMR falls to 0 at +infinity
            k++;
        }
        return k;
    }

    /** The decision error trade-off curve: (FMR, FNMR) at every threshold, ascending thresholds. */
    public double[][] det() {
        return new double[][] {fmr.clone(), fnmr.clone()};
    }

    public double[] thresholds() {
        return thresholds.clone();
    }
}
