package org.exfacegan.backbone.stylegan2;

import java.util.LinkedHashMap;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.gan.GanModel;

/**
 * The noise a StyleGAN2 synthesis adds in each layer. The export scripts fix it in the graph
 * (noise_mode "const": the model's constant buffers); a graph exported with the noise as inputs
 * names them in the descriptor ({@code synthesis.noise_inputs}: input name -> .npy file of the
 * constant buffer), and the plugin feeds them, the same for every sample: the buffers ("const") or
 * zeros ("none", the official noise_mode 'none').
 */
final class NoiseInputs {
    /** A noise buffer is [1, 1, r, r]: 1024 px needs 2^20 values. */
    static final long MAX_ELEMENTS = 1L << 24;

    private NoiseInputs() {}

    /** The inputs to feed for {@code mode} (null: as exported), or none when the graph takes no noise. */
    static Map<String, FloatTensor> of(GanModel model, String mode) {
        if (model.noiseInputs().isEmpty()) {
            if (mode != null) {
                throw new ExfaceganException("backbone option noise_mode \"" + mode + "\" needs a synthesis with noise inputs, "
                        + "but model descriptor " + model.file() + " declares none (synthesis.noise_inputs): its noise was "
                        + "fixed when it was exported; leave noise_mode out or export the noise as inputs");
            }
            return Map.of();
        }
        boolean zeros = "none".equals(mode);
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        model.noiseInputs().forEach((input, file) -> {
            String pointer = "/synthesis/noise_inputs/" + input.replace("~", "~0").replace("/", "~1");
            FloatTensor buffer = model.npy(pointer, file, MAX_ELEMENTS);
            out.put(input, zeros ? new FloatTensor(buffer.shape(), new float[buffer.data().length]) : buffer);
        });
        return out;
    }
}
