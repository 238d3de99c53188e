package org.exfacegan.backbone.gancontrol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Options of the gancontrol backbone (config: backbone.options). The host binds them from JSON;
 * an IllegalArgumentException thrown here becomes a config error naming the option.
 *
 * @param truncationPsi    pull toward w_avg, 1 = none (default 0.7, as ExFaceGAN ran GAN-Control)
 * @param truncationCutoff number of leading w copies truncated (default: all, as the official
 *                         inference truncates w before it is copied to every layer)
 * @param latentSpace      space boundaries are fitted in: "w" (default) or "z"
 */
public record GanControlSettings(
        @JsonProperty("truncation_psi") Double truncationPsi,
        @JsonProperty("truncation_cutoff") Integer truncationCutoff,
        @JsonProperty("latent_space") String latentSpace) {
    public static final GanControlSettings DEFAULTS = new GanControlSettings(null, null, null);

    public GanControlSettings {
        truncationPsi = truncationPsi == null ? 0.7 : truncationPsi;
        truncationCutoff = truncationCutoff == null ? Integer.MAX_VALUE : truncationCutoff;
        latentSpace = latentSpace == null ? "w" : latentSpace;
        if (!Double.isFinite(truncationPsi)) {
            throw new IllegalArgumentException("truncation_psi must be a finite number, got " + truncationPsi);
        }
        if (truncationCutoff < 0) {
            throw new IllegalArgumentException("truncation_cutoff must be >= 0, got " + truncationCutoff);
        }
        if (!latentSpace.equals("w") && !latentSpace.equals("z")) {
            throw new IllegalArgumentException("latent_space must be \"w\" or \"z\", got \"" + latentSpace + "\"");
        }
    }
}
