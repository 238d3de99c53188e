package org.exfacegan.runner.verification;

/**
 * The verification protocol's figures for one set of scored pairs.
 *
 * @param pairs            pairs scored
 * @param genuinePairs     pairs of the same identity
 * @param impostorPairs    pairs of different identities
 * @param folds            folds of the accuracy protocol
 * @param accuracyMean     mean over folds of the test-fold accuracy at the threshold chosen on the other folds
 * @param accuracyStd      population standard deviation of the fold accuracies (as insightface reports it)
 * @param foldAccuracies   per fold, its accuracy
 * @param foldThresholds   per fold, the cosine threshold chosen on the other folds (same when cosine > it)
 * @param farTarget        the false accept rate of {@code tar} (1e-3)
 * @param tar              true accept rate at the smallest threshold whose false accept rate is at most
 *                         {@code farTarget}, over all pairs
 * @param tarThreshold     that threshold (same when cosine >= it)
 * @param farResolved      false when there are fewer than 1 / farTarget impostor pairs: the rate cannot be
 *                         resolved that finely and {@code tar} is the rate at no false accept
 * @param eer              equal error rate over all pairs (the report's definition, docs/metrics.md)
 * @param eerThreshold     its threshold
 * @param genuineMean      mean cosine of the genuine pairs whose images both gave a face
 * @param impostorMean     mean cosine of such impostor pairs
 */
public record VerificationResult(int pairs, int genuinePairs, int impostorPairs, int folds, double accuracyMean,
        double accuracyStd, double[] foldAccuracies, double[] foldThresholds, double farTarget, double tar,
        double tarThreshold, boolean farResolved, double eer, double eerThreshold, double genuineMean,
        double impostorMean) {}
