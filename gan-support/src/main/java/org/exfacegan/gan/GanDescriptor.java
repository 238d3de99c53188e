package org.exfacegan.gan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The model descriptor of the style-based GAN plugins, as the host binds it (docs/backbones/descriptor.md):
 * the JSON file beside exported mapping and synthesis graphs. Binding checks names and types;
 * {@link GanModel#read} checks values, files and the fields of one architecture.
 *
 * @param components GANsformer only: latent components k+1, global last
 * @param wAvg       the mean w: an array (of arrays) of numbers, or the name of a .npy file
 * @param source     free-form provenance, not checked
 */
public record GanDescriptor(
        @JsonProperty(required = true) int formatVersion,
        @JsonProperty(required = true) String backbone,
        String format,
        @JsonProperty(required = true) int zDim,
        @JsonProperty(required = true) int wDim,
        @JsonProperty(required = true) int numWs,
        Integer components,
        @JsonProperty(required = true) int resolution,
        double[] outputRange,
        String channelOrder,
        String imageLayout,
        @JsonProperty(required = true) Object wAvg,
        @JsonProperty(required = true) Graph mapping,
        @JsonProperty(required = true) Synthesis synthesis,
        Object source) {

    /** The z -> w graph: tensor names and its file per format. */
    public record Graph(String input, String output, FileEntry onnx, FileEntry torchscript) {}

    /**
     * The w+ -> image graph.
     *
     * @param groundTruthOutput an extra output with true identity factors (demo worlds), or null
     * @param nuisanceOutput    an extra output with true nuisance factors: pose, light, expression (demo worlds), or null
     * @param transformInput    StyleGAN3 only: a [3, 3] input holding the inverse user transform
     * @param noiseInputs       StyleGAN2 only: noise input name -> .npy file of its constant buffer
     */
    public record Synthesis(String input, String output, FileEntry onnx, FileEntry torchscript, String groundTruthOutput,
            String nuisanceOutput, String transformInput, Map<String, String> noiseInputs) {}

    /**
     * One file of a graph in one format.
     *
     * @param staticBatch  the batch size baked into the graph, null when dynamic
     * @param externalData weights the ONNX exporter stored beside the graph, or null
     */
    public record FileEntry(@JsonProperty(required = true) String file, String input, String output, Integer staticBatch,
            String externalData) {}
}
