package org.exfacegan.backbone.gansformer;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.exfacegan.gan.GanBackbone;

/**
 * Options of the gansformer backbone (config: backbone.options).
 *
 * @param truncationPsi    pull toward w_avg, 1 = none (default 0.7)
 * @param truncationCutoff number of leading w copies truncated (default: all, as the official generate.py)
 * @param latentSpace      space boundaries are fitted in: "w" (default) or "z"
 */
public record GansformerSettings(
        @JsonProperty("truncation_psi") Double truncationPsi,
        @JsonProperty("truncation_cutoff") Integer truncationCutoff,
        @JsonProperty("latent_space") String latentSpace) {
    public static final GansformerSettings DEFAULTS = new GansformerSettings(null, null, null);

    public GansformerSettings {
        if (truncationPsi == null) {
            truncationPsi = 0.7;
        }
        if (truncationCutoff == null) {
            truncationCutoff = Integer.MAX_VALUE;
        }
        if (latentSpace == null) {
            latentSpace = "w";
        }
        GanBackbone.checkOptions(truncationPsi, truncationCutoff, latentSpace);
    }
}
