package org.exfacegan.runner.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * For backbones that know the true identity factors of a latent (demo worlds): how far samples
 * stray from their reference's true identity, against random latents as the baseline; and, where
 * the backbone also knows the nuisance factors (pose, light, expression), how much the samples of
 * one identity still vary in them, against random latents. The first should be small, the second
 * near 1: both halves of what sampling must achieve. Only the evaluation reads ground truth; the
 * pipeline never does.
 */
public final class GroundTruthMetrics {
    /** Random probes used as the baseline (the first ones: the same set for every identity). */
    static final int BASELINE = 200;

    private GroundTruthMetrics() {}

    /**
     * Identities from the other side of a boundary (side -1) are left out of the consistency
     * figures: by design they are not their reference's identity.
     *
     * @param sampleLatents per identity, its written samples' latents [kept * dim]
     */
    public static Map<String, Double> measure(Backbone backbone, ProbeSet probes, List<Identity> identities,
                                              List<float[]> sampleLatents) {
        int dim = probes.dim();
        float[] refLatents = new float[identities.size() * dim];
        for (int i = 0; i < identities.size(); i++) {
            System.arraycopy(probes.latents(), identities.get(i).reference() * dim, refLatents, i * dim, dim);
        }
        FloatTensor refTruth = backbone.groundTruth(FloatTensor.of(refLatents, identities.size(), dim));
        FloatTensor probeTruth = backbone.groundTruth(FloatTensor.of(probes.latents(), probes.size(), dim));
        int f = (int) refTruth.dim(1);

        // samples vs their own reference; random probes vs the same references as the baseline
        double sampleDist = 0;
        double randomDist = 0;
        int ns = 0;
        int nr = 0;
        for (int i = 0; i < identities.size(); i++) {
            if (identities.get(i).side() < 0) {
                continue; // the other side of a boundary is meant to be someone else (paper mode, both_sides)
            }
            float[] lat = sampleLatents.get(i);
            float[] truth = backbone.groundTruth(FloatTensor.of(lat, lat.length / dim, dim)).data();
            for (int s = 0; s < lat.length / dim; s++) {
                sampleDist += distance(truth, s, refTruth.data(), i, f);
                ns++;
            }
            for (int p = 0; p < Math.min(probes.size(), BASELINE); p++) {
                if (p != identities.get(i).reference()) {
                    randomDist += distance(probeTruth.data(), p, refTruth.data(), i, f);
                    nr++;
                }
            }
        }
        // separation: distance between different identities' references
        double between = 0;
        int nb = 0;
        for (int i = 0; i < identities.size(); i++) {
            for (int j = i + 1; j < identities.size(); j++) {
                if (identities.get(i).side() < 0 || identities.get(j).side() < 0) {
                    continue;
                }
                between += distance(refTruth.data(), i, refTruth.data(), j, f);
                nb++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("true_identity_distance_samples", sampleDist / ns);
        out.put("true_identity_distance_random", randomDist / nr);
        out.put("consistency_ratio", (sampleDist / ns) / (randomDist / nr));
        out.put("true_identity_distance_between_identities", nb == 0 ? Double.NaN : between / nb);
        out.put("separation_ratio", nb == 0 ? Double.NaN : (between / nb) / (sampleDist / ns));
        if (backbone.hasNuisance()) {
            out.putAll(nuisanceSpread(backbone, probes, sampleLatents));
        }
        return out;
    }

    /**
     * Mean distance between two samples of one identity in the true nuisance factors, over every
     * identity with two or more samples (both sides: the other side's identity should vary too),
     * against the mean distance between two random probes. Pairwise distances do not depend on how
     * many samples an identity has, so the two are comparable.
     */
    static Map<String, Double> nuisanceSpread(Backbone backbone, ProbeSet probes, List<float[]> sampleLatents) {
        int dim = probes.dim();
        double within = 0;
        long pairs = 0;
        for (float[] lat : sampleLatents) {
            int n = lat.length / dim;
            if (n < 2) {
                continue;
            }
            float[] v = backbone.nuisance(FloatTensor.of(lat, n, dim)).data();
            int f = v.length / n;
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    within += distance(v, a, v, b, f);
                    pairs++;
                }
            }
        }
        int m = Math.min(probes.size(), BASELINE);
        float[] first = java.util.Arrays.copyOf(probes.latents(), m * dim);
        float[] v = backbone.nuisance(FloatTensor.of(first, m, dim)).data();
        int f = m == 0 ? 0 : v.length / m;
        double random = 0;
        long randomPairs = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                random += distance(v, a, v, b, f);
                randomPairs++;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double samples = pairs == 0 ? Double.NaN : within / pairs;
        double baseline = randomPairs == 0 ? Double.NaN : random / randomPairs;
        out.put("nuisance_spread_samples", samples);
        out.put("nuisance_spread_random", baseline);
        out.put("nuisance_spread_ratio", samples / baseline);
        return out;
    }

    private static double distance(float[] a, int i, float[] b, int j, int f) {
        double s = 0;
        for (int k = 0; k < f; k++) {
            double d = a[i * f + k] - b[j * f + k];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
