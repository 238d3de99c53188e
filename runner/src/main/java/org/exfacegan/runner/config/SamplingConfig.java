package org.exfacegan.runner.config;

/**
 * How new latents are drawn per identity.
 *
 * @param mode          "directional" (default: exact signed distance along the unit normal plus in-plane
 *                      variation) or "paper" ({@code w_ref - u (*) n}, u ~ U(0, max_dist) per dimension)
 * @param maxDist       paper: upper bound of u (default 30)
 * @param bothSides     paper: the other side ({@code w_ref + u (*) n}) becomes a second identity
 * @param distanceMin   directional: lower bound of the signed distance, in units of the spread of probe distances
 * @param distanceMax   directional: upper bound of the signed distance, same unit
 * @param sigma         directional: in-plane Gaussian variation, in units of the probe latents' spread
 * @param minSimilarity drop samples whose cosine to the reference is below this (null: keep all)
 * @param maxSimilarity drop near-duplicates whose cosine to the reference is above this (null: keep all)
 */
public record SamplingConfig(String mode, Double maxDist, Boolean bothSides, Double distanceMin, Double distanceMax,
                             Double sigma, Double minSimilarity, Double maxSimilarity) {
    public static final SamplingConfig DEFAULT = new SamplingConfig(null, null, null, null, null, null, null, null);

    public SamplingConfig {
        mode = mode == null ? "directional" : mode;
        maxDist = maxDist == null ? 30.0 : maxDist;
        bothSides = bothSides == null ? Boolean.FALSE : bothSides;
        distanceMin = distanceMin == null ? 0.5 : distanceMin;
        distanceMax = distanceMax == null ? 2.0 : distanceMax;
        sigma = sigma == null ? 0.5 : sigma;
    }
}
