package org.exfacegan.backbone.stylegan3;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.exfacegan.api.backbone.support.GanBackbone;

/**
 * Options of the stylegan3 backbone (config: backbone.options).
 *
 * @param truncationPsi    pull toward w_avg, 1 = none (default 0.7)
 * @param truncationCutoff number of leading w copies truncated (default 8, the paper's setting; >= num_ws truncates all)
 * @param latentSpace      space boundaries are fitted in: "w" (default) or "z"
 */
public record StyleGan3Settings(
        @JsonProperty("truncation_psi") Double truncationPsi,
        @JsonProperty("truncation_cutoff") Integer truncationCutoff,
        @JsonProperty("latent_space") String latentSpace) {
    public static final StyleGan3Settings DEFAULTS = new StyleGan3Settings(null, null, null);

    public StyleGan3Settings {
        if (truncationPsi == null) {
            truncationPsi = 0.7;
        }
        if (truncationCutoff == null) {
            truncationCutoff = 8;
        }
        if (latentSpace == null) {
            latentSpace = "w";
        }
        GanBackbone.checkOptions(truncationPsi, truncationCutoff, latentSpace);
    }
}
