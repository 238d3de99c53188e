package org.exfacegan.runner.config;

import java.util.List;
import java.util.Map;

/**
 * How new latents are drawn per identity. Only the fields of the chosen mode get defaults; a field
 * of another mode stays null, so one given for the wrong mode is found ({@link #inapplicable}) and
 * refused instead of silently ignored.
 *
 * @param mode          "subspace" (default: keep the reference's coordinates in the identity subspace
 *                      spanned by all boundaries, draw the rest like the probe latents), "directional"
 *                      (exact signed distance along the unit normal plus in-plane variation) or "paper"
 *                      ({@code w_ref - u (*) n}, u ~ U(0, max_dist) per dimension)
 * @param maxDist       paper: upper bound of u (default 30)
 * @param maxDistUnit   paper: unit of max_dist, "raw" (latent units, the reference code's; default) or
 *                      "spread" (the spread of the probes' signed distances to that boundary)
 * @param bothSides     paper: the other side ({@code w_ref + u (*) n}) becomes a second identity
 * @param distanceMin   directional: lower bound of the signed distance, in units of the spread of probe distances
 * @param distanceMax   directional: upper bound of the signed distance, same unit
 * @param sigma         directional: in-plane Gaussian variation, in units of the probe latents' spread
 * @param rank          subspace: dimension of the identity subspace (null: chosen by cross-validation)
 * @param step          subspace: move along the reference's own normal to its similar side first, in
 *                      units of the spread of probe distances (default 0)
 * @param variation     subspace: scale of the variation outside the identity subspace (default 1: as much as
 *                      the probe latents vary there)
 * @param minSimilarity drop samples whose cosine to the reference is below this (null: keep all)
 * @param maxSimilarity drop near-duplicates whose cosine to the reference is above this (null: keep all)
 * @param dropOutOfDistribution drop samples outside the probe latents' 99th percentile of Mahalanobis
 *                      distance (counted; default false: they are only counted and flagged)
 */
public record SamplingConfig(String mode, Double maxDist, String maxDistUnit, Boolean bothSides, Double distanceMin,
                             Double distanceMax, Double sigma, Integer rank, Double step, Double variation,
                             Double minSimilarity, Double maxSimilarity, Boolean dropOutOfDistribution) {
    public static final SamplingConfig DEFAULT = new SamplingConfig(null, null, null, null, null, null, null, null, null,
            null, null, null, null);
    public static final String DEFAULT_MODE = "subspace";
    public static final List<String> MODES = List.of("subspace", "directional", "paper");
    /** The fields each mode reads (JSON names); the others must be left out. */
    static final Map<String, List<String>> FIELDS = Map.of(
            "paper", List.of("max_dist", "max_dist_unit", "both_sides"),
            "directional", List.of("distance_min", "distance_max", "sigma"),
            "subspace", List.of("rank", "step", "variation"));

    public SamplingConfig {
        mode = mode == null ? DEFAULT_MODE : mode;
        dropOutOfDistribution = dropOutOfDistribution != null && dropOutOfDistribution;
        switch (mode) {
            case "paper" -> {
                maxDist = maxDist == null ? 30.0 : maxDist;
                maxDistUnit = maxDistUnit == null ? "raw" : maxDistUnit;
                bothSides = bothSides != null && bothSides;
            }
            case "directional" -> {
                distanceMin = distanceMin == null ? 0.5 : distanceMin;
                distanceMax = distanceMax == null ? 2.0 : distanceMax;
                sigma = sigma == null ? 0.5 : sigma;
            }
            case "subspace" -> {
                step = step == null ? 0.0 : step;
                variation = variation == null ? 1.0 : variation;
            }
            default -> {
                // an unknown mode is reported by ConfigLoader, naming the field
            }
        }
    }

    /** Whether samples come from both sides of each boundary (two identities per reference). */
    public boolean twoSided() {
        return Boolean.TRUE.equals(bothSides);
    }

    /** The first field given that the mode does not read (its JSON name), or null. */
    String inapplicable() {
        Map<String, Object> given = new java.util.LinkedHashMap<>();
        given.put("max_dist", maxDist);
        given.put("max_dist_unit", maxDistUnit);
        given.put("both_sides", bothSides);
        given.put("distance_min", distanceMin);
        given.put("distance_max", distanceMax);
        given.put("sigma", sigma);
        given.put("rank", rank);
        given.put("step", step);
        given.put("variation", variation);
        List<String> mine = FIELDS.getOrDefault(mode, List.of());
        for (var e : given.entrySet()) {
            if (e.getValue() != null && !mine.contains(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The mode that reads a field (JSON name). */
    static String modeOf(String field) {
        return FIELDS.entrySet().stream().filter(e -> e.getValue().contains(field)).map(Map.Entry::getKey).findFirst().orElse("?");
    }
}
