package org.exfacegan.runner.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.backbone.SubLatent;
import org.exfacegan.runner.pipeline.fit.Boundaries;

/**
 * Where the fitted boundary normals lie, for backbones whose latent is split into named sub-latents
 * (GAN-Control): a normal that separates identities should lie mostly in the identity sub-latent.
 */
final class SubLatentShare {
    private SubLatentShare() {}

    /**
     * Per sub-latent, in layout order: the mean over boundaries of the share of the normal's squared
     * length in that sub-latent's dimensions; null when the backbone names no sub-latents.
     */
    static Map<String, Double> of(Boundaries boundaries, List<SubLatent> subLatents) {
        if (subLatents.isEmpty() || boundaries.count() == 0) {
            return null;
        }
        float[] normals = boundaries.normals();
        int dim = boundaries.dim();
        double[] sums = new double[subLatents.size()];
        for (int b = 0; b < boundaries.count(); b++) {
            double total = 0;
            for (int j = 0; j < dim; j++) {
                total += (double) normals[b * dim + j] * normals[b * dim + j];
            }
            for (int s = 0; s < subLatents.size(); s++) {
                double part = 0;
                for (int j = subLatents.get(s).start(); j < subLatents.get(s).end(); j++) {
                    part += (double) normals[b * dim + j] * normals[b * dim + j];
                }
                sums[s] += total == 0 ? 0 : part / total;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int s = 0; s < subLatents.size(); s++) {
            out.put(subLatents.get(s).name(), sums[s] / boundaries.count());
        }
        return out;
    }
}
