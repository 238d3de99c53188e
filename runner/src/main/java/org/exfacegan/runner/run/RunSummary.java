package org.exfacegan.runner.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;
import java.util.Map;

/**
 * What a finished run produced and how well, as printed at the end and stored in summary.json.
 *
 * @param probesDrawn            latents drawn for the probe set
 * @param probesAccepted         of those, faces the recogniser embedded
 * @param identities             identities written
 * @param images                 images written
 * @param samplesDrawn           candidates drawn (including those filtered out)
 * @param samplesRejectedFaces   candidates whose face the recogniser rejected
 * @param samplesBelowMin        candidates dropped below min_similarity
 * @param samplesAboveMax        candidates dropped above max_similarity (near-duplicates)
 * @param boundaryHeldOutMean    mean held-out accuracy of the boundaries
 * @param boundaryHeldOutMin     worst held-out accuracy
 * @param sampleSimilarityMean   mean cosine of a written sample's embedding to its reference's
 * @param samplesOutOfDistribution   candidates (with a face) outside the probe latents' 99th percentile of Mahalanobis distance
 * @param samplesDroppedOutOfDistribution of those, dropped by drop_out_of_distribution
 * @param outOfDistributionShare samplesOutOfDistribution / candidates with a face (about 0.01 for latents drawn like
 *                               the probes); NaN when the probes were too few to model their distribution
 * @param mahalanobisThreshold   the probes' 99th percentile of (leave-one-out) Mahalanobis distance
 * @param identitySubspaceRank   rank of the identity subspace (subspace sampling), else null
 * @param groundTruth            true-identity metrics when the backbone has ground truth (demo worlds), else null
 * @param normalShareBySubLatent for backbones that name sub-latents (GAN-Control): per sub-latent, the mean
 *                               share of a boundary normal's squared length that lies in it; else null
 *                               (and left out of summary.json)
 */
public record RunSummary(int probesDrawn, int probesAccepted, int identities, int images, int samplesDrawn,
                         int samplesRejectedFaces, int samplesBelowMin, int samplesAboveMax,
                         double boundaryHeldOutMean, double boundaryHeldOutMin, double sampleSimilarityMean,
                         int samplesOutOfDistribution, int samplesDroppedOutOfDistribution, double outOfDistributionShare,
                         double mahalanobisThreshold, Integer identitySubspaceRank, Map<String, Double> groundTruth,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> normalShareBySubLatent) {
    /** Above this share of candidates outside the probe distribution a run warns: in-distribution sampling gives about 1%. */
    public static final double OUT_OF_DISTRIBUTION_WARNING = 0.05;

    /** Whether the share outside the probe distribution is high enough to warn about. */
    public boolean outOfDistributionHigh() {
        return outOfDistributionShare > OUT_OF_DISTRIBUTION_WARNING;
    }

    /** The loud line a run prints when many samples left the probe distribution. */
    public static String outOfDistributionWarning(RunSummary s) {
        return String.format(Locale.ROOT, "WARNING: %.1f%% of the samples lie outside the probe latents' distribution (Mahalanobis "
                + "distance above the probes' 99th percentile, %.2f; latents drawn like the probes give about 1%%): the "
                + "sampler leaves the region the GAN was trained on, where faces turn into caricatures and identity is not "
                + "kept; lower the sampling distances, or set sampling.drop_out_of_distribution", 100 * s.outOfDistributionShare(),
                s.mahalanobisThreshold());
    }
}
