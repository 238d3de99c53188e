package org.exfacegan.runner.run;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param groundTruth            true-identity metrics when the backbone has ground truth (demo worlds), else null
 * @param normalShareBySubLatent for backbones that name sub-latents (GAN-Control): per sub-latent, the mean
 *                               share of a boundary normal's squared length that lies in it; else null
 *                               (and left out of summary.json)
 */
public record RunSummary(int probesDrawn, int probesAccepted, int identities, int images, int samplesDrawn,
                         int samplesRejectedFaces, int samplesBelowMin, int samplesAboveMax,
                         double boundaryHeldOutMean, double boundaryHeldOutMin, double sampleSimilarityMean,
                         Map<String, Double> groundTruth,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Double> normalShareBySubLatent) {
}
