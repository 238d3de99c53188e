package org.exfacegan.runner.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * For backbones that know the true identity factors of a latent (demo worlds): how far samples
 * stray from their reference's true identity, against random latents as the baseline. Only the
 * evaluation reads ground truth; the pipeline never does.
 */
final class GroundTruthMetrics {
    private GroundTruthMetrics() {}

    /**
     * Identities from the other side of a boundary (side -1) are left out of the consistency
     * figures: by design they are not their reference's identity.
     *
     * @param sampleLatents per identity, its written samples' latents [kept * dim]
     */
    static Map<String, Double> measure(Backbone backbone, ProbeSet probes, List<Identity> identities, List<float[]> sampleLatents) {
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
            for (int p = 0; p < Math.min(probes.size(), 200); p++) {
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
