package org.exfacegan.runner.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The figures of one run, measured on the recogniser's embeddings of the images it wrote
 * (definitions and references: docs/metrics.md). Field names are the keys of compare.json.
 *
 * @param identities                identities written
 * @param images                    images written
 * @param boundaries                boundaries fitted
 * @param boundaryHeldOutMean       mean held-out accuracy of the boundaries
 * @param boundaryHeldOutMin        lowest held-out accuracy
 * @param consistencyMean           mean cosine of a sample to its reference (reference-side identities)
 * @param consistencyMinIdentity    the lowest identity mean of that cosine
 * @param similarityReplayMaxDiff   largest |re-embedded cosine to reference - cosine the pipeline recorded|
 * @param genuine                   genuine score distribution
 * @param impostor                  impostor score distribution
 * @param pairsSampled              true when genuine or impostor pairs were sampled (large datasets)
 * @param eer                       equal error rate
 * @param eerThreshold              cosine threshold of the EER
 * @param fnmrAtFmr1e2              FNMR at FMR = 1e-2
 * @param fnmrAtFmr1e3              FNMR at FMR = 1e-3
 * @param fdr                       Fisher discriminant ratio
 * @param dPrime                    decidability d'
 * @param diversity                 intra-identity diversity, 1 - mean pairwise cosine within an identity
 * @param lookalikeThreshold        cosine above which two identity centres count as look-alikes
 * @param lookalikePairs            identity pairs above it
 * @param identityPairs             all identity pairs
 * @param lookalikeRate             lookalikePairs / identityPairs
 * @param probesDrawn               probe latents drawn
 * @param probesRejected            probe faces the recogniser rejected
 * @param samplesDrawn              sample candidates drawn
 * @param samplesRejectedFaces      sample faces the recogniser rejected
 * @param samplesFiltered           samples dropped by min/max similarity
 * @param reembedRejected           written images rejected when embedded again
 * @param rejectedRate              (probes + samples rejected) / (probes + samples drawn)
 * @param imagesPerSecond           images written per second of the sample stage, over the sessions that finished
 * @param boundariesPerSecond       boundaries fitted per second of the fit stage, same sessions
 * @param outOfDistributionShare    share of sample candidates outside the probe latents' 99th percentile of Mahalanobis
 *                                  distance (about 0.01 in distribution; NaN when not measured)
 * @param groundTruth               the run's ground-truth metrics (demo worlds), else null
 */
public record RunMetrics(
        int identities, int images, int boundaries, double boundaryHeldOutMean, double boundaryHeldOutMin,
        double consistencyMean, double consistencyMinIdentity, double similarityReplayMaxDiff,
        ScoreStats genuine, ScoreStats impostor, boolean pairsSampled,
        double eer, double eerThreshold,
        @JsonProperty("fnmr_at_fmr_1e-2") double fnmrAtFmr1e2,
        @JsonProperty("fnmr_at_fmr_1e-3") double fnmrAtFmr1e3,
        double fdr, @JsonProperty("d_prime") double dPrime, double diversity,
        double lookalikeThreshold, long lookalikePairs, long identityPairs, double lookalikeRate,
        int probesDrawn, int probesRejected, int samplesDrawn, int samplesRejectedFaces, int samplesFiltered,
        int reembedRejected, double rejectedRate, double imagesPerSecond, double boundariesPerSecond,
        double outOfDistributionShare, Map<String, Double> groundTruth) {
}
