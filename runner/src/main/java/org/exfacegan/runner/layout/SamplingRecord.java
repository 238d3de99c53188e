package org.exfacegan.runner.layout;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.exfacegan.runner.pipeline.sample.SamplingMode;

/**
 * How the samples were drawn: {@code sampling.json}.
 *
 * @param mode               the sampling mode
 * @param guard              the in-distribution guard
 * @param distanceSpreadMean the spread of the probes' signed distances, mean over boundaries (what one latent
 *                           unit means along them); absent when the probes are too few to model
 * @param maxDistInSpreads   paper mode in raw units: max_dist in those spreads
 * @param identitySubspace   subspace mode: the identity subspace
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SamplingRecord(SamplingMode mode, Guard guard, Double distanceSpreadMean, Double maxDistInSpreads,
                             Subspace identitySubspace) {
    /**
     * The in-distribution guard: measured, with its threshold; or not, with the reason.
     *
     * @param percentile           of the probes' Mahalanobis distances the threshold is
     * @param mahalanobisThreshold the threshold
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Guard(boolean measured, String reason, Integer probes, Double percentile, Double mahalanobisThreshold) {
        public static Guard off(String reason) {
            return new Guard(false, reason, null, null, null);
        }

        public static Guard on(int probes, double percentile, double threshold) {
            return new Guard(true, null, probes, percentile, threshold);
        }
    }

    /**
     * The identity subspace of subspace mode.
     *
     * @param chosen         how the rank was chosen: "cross-validated" or "config"
     * @param boundaries     boundaries it was estimated from
     * @param dims           the latent dimension
     * @param explained      share of the boundaries' variance it holds
     * @param spectrum       the eigenvalues, largest first
     * @param heldOutCapture per rank, the share of held-out normals captured
     */
    public record Subspace(int rank, String chosen, int boundaries, int dims, double explained, double[] spectrum,
                           double[] heldOutCapture) {}
}
