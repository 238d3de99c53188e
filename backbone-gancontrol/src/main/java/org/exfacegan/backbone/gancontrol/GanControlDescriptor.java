package org.exfacegan.backbone.gancontrol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The model descriptor of a GAN-Control export (docs/backbones/gancontrol.md), as the host binds it
 * through {@code PluginContext.readJson}: snake_case names, unknown fields and missing required
 * fields are errors. {@link GanControlModel} checks the values.
 *
 * @param latentDim  size of z and of w (GAN-Control maps each sub-latent of z to a sub-latent of w of
 *                   the same size and place), 512 for the official FFHQ model
 * @param numWs      copies of w the synthesis takes (16 at 512 px)
 * @param subLatents name -> [start, end) of each sub-latent, in z and in w; together they cover
 *                   [0, latent_dim) without gaps (the official FFHQ model: id [0, 128], expression
 *                   [128, 192], orientation [192, 256], gamma [256, 320], age [320, 384], hair
 *                   [384, 448], other [448, 512])
 * @param wAvg       the mean w (latent_dim numbers) truncation pulls toward
 * @param source     free-form provenance (checkpoint, exporter), not checked
 */
public record GanControlDescriptor(
        @JsonProperty(required = true) int formatVersion,
        @JsonProperty(required = true) String backbone,
        @JsonProperty(required = true) int latentDim,
        @JsonProperty(required = true) int numWs,
        @JsonProperty(required = true) int resolution,
        @JsonProperty(required = true) Map<String, int[]> subLatents,
        @JsonProperty(required = true) float[] wAvg,
        @JsonProperty(required = true) Graph mapping,
        @JsonProperty(required = true) Graph synthesis,
        Object source) {

    /**
     * One exported graph: its file (.onnx or .pt, beside the descriptor; the host picks the runtime
     * by the extension) and tensor names.
     *
     * @param groundTruthOutput synthesis only, optional: an output with true identity factors (demo worlds)
     * @param nuisanceOutput    synthesis only, optional: an output with true nuisance factors (demo worlds)
     */
    public record Graph(@JsonProperty(required = true) String file, String input, String output, String groundTruthOutput,
            String nuisanceOutput) {}
}
