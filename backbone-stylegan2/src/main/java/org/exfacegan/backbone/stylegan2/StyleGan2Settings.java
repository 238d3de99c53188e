package org.exfacegan.backbone.stylegan2;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.exfacegan.gan.GanBackbone;

/**
 * Options of the stylegan2 backbone (config: backbone.options).
 *
 * @param truncationPsi    pull toward w_avg, 1 = none (default 0.7)
 * @param truncationCutoff number of leading w copies truncated (default 8, the paper's setting; >= num_ws truncates all)
 * @param latentSpace      space boundaries are fitted in: "w" (default) or "z"
 * @param noiseMode        for a synthesis exported with noise inputs: "const" (default: the model's constant
 *                         noise buffers) or "none" (zeros); null leaves the noise as exported
 */
public record StyleGan2Settings(
        @JsonProperty("truncation_psi") Double truncationPsi,
        @JsonProperty("truncation_cutoff") Integer truncationCutoff,
        @JsonProperty("latent_space") String latentSpace,
        @JsonProperty("noise_mode") String noiseMode) {
    public static final StyleGan2Settings DEFAULTS = new StyleGan2Settings(null, null, null, null);
    /** Noise modes the plugin can feed; the official "random" would make an image depend on more than its latent. */
    static final List<String> NOISE_MODES = List.of("const", "none");

    public StyleGan2Settings {
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
        if (noiseMode != null && !NOISE_MODES.contains(noiseMode)) {
            throw new IllegalArgumentException("noise_mode must be one of " + NOISE_MODES + ", got \"" + noiseMode
                    + "\" (\"random\" is not supported: an image must depend on its latent only)");
        }
    }

    /** Settings of the given truncation and fit space, noise as exported. */
    public StyleGan2Settings(Double truncationPsi, Integer truncationCutoff, String latentSpace) {
        this(truncationPsi, truncationCutoff, latentSpace, null);
    }
}
