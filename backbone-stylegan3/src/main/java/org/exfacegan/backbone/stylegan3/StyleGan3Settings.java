package org.exfacegan.backbone.stylegan3;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.exfacegan.gan.GanBackbone;

/**
 * Options of the stylegan3 backbone (config: backbone.options).
 *
 * @param truncationPsi    pull toward w_avg, 1 = none (default 0.7)
 * @param truncationCutoff number of leading w copies truncated (default 8, the paper's setting; >= num_ws truncates all)
 * @param latentSpace      space boundaries are fitted in: "w" (default) or "z"
 * @param translate        [x, y] translation of the image content, in image widths (default [0, 0]), as
 *                         NVlabs' gen_images.py --translate
 * @param rotate           rotation of the image content in degrees (default 0), as gen_images.py --rotate
 */
public record StyleGan3Settings(
        @JsonProperty("truncation_psi") Double truncationPsi,
        @JsonProperty("truncation_cutoff") Integer truncationCutoff,
        @JsonProperty("latent_space") String latentSpace,
        @JsonProperty("translate") double[] translate,
        @JsonProperty("rotate") Double rotate) {
    public static final StyleGan3Settings DEFAULTS = new StyleGan3Settings(null, null, null, null, null);

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
        translate = translate == null ? new double[2] : translate.clone();
        if (translate.length != 2 || !Double.isFinite(translate[0]) || !Double.isFinite(translate[1])) {
            throw new IllegalArgumentException("translate must be [x, y] with finite numbers, got "
                    + java.util.Arrays.toString(translate));
        }
        if (rotate == null) {
            rotate = 0.0;
        }
        if (!Double.isFinite(rotate)) {
            throw new IllegalArgumentException("rotate must be a finite number of degrees, got " + rotate);
        }
    }

    /** Settings of the given truncation and fit space, no input transform. */
    public StyleGan3Settings(Double truncationPsi, Integer truncationCutoff, String latentSpace) {
        this(truncationPsi, truncationCutoff, latentSpace, null, null);
    }

    @Override
    public double[] translate() {
        return translate.clone();
    }

    /** True when translate and rotate are left at their defaults (no transform). */
    boolean isIdentity() {
        return translate[0] == 0 && translate[1] == 0 && rotate == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StyleGan3Settings s && s.truncationPsi.equals(truncationPsi) && s.truncationCutoff.equals(truncationCutoff)
                && s.latentSpace.equals(latentSpace) && java.util.Arrays.equals(s.translate, translate) && s.rotate.equals(rotate);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(truncationPsi, truncationCutoff, latentSpace, java.util.Arrays.hashCode(translate), rotate);
    }
}
