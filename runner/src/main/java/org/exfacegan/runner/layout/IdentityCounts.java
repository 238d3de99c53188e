package org.exfacegan.runner.layout;

/**
 * What became of one identity's candidates: {@code meta/<identity>.counts.json}.
 *
 * @param drawn                    candidates drawn
 * @param kept                     images written
 * @param rejectedFaces            candidates whose face the recogniser rejected
 * @param belowMinSimilarity       dropped below {@code min_similarity}
 * @param aboveMaxSimilarity       dropped above {@code max_similarity}
 * @param outOfDistribution        candidates outside the probe latents' distribution (absent in runs made
 *                                 before it was measured: 0)
 * @param droppedOutOfDistribution of those, dropped by {@code drop_out_of_distribution}
 * @param referenceRejected        the recogniser finds no face in the identity's reference
 */
public record IdentityCounts(int drawn, int kept, int rejectedFaces, int belowMinSimilarity, int aboveMaxSimilarity,
                             int outOfDistribution, int droppedOutOfDistribution, boolean referenceRejected) {}
