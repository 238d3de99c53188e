package org.exfacegan.backbone.stylegan2;

import java.util.Map;
import java.util.Set;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.gan.GanBackbone;
import org.exfacegan.gan.GanModel;
import org.exfacegan.gan.GanShapes;

/**
 * A StyleGAN2 generator: z [z_dim] -> w [w_dim] -> w+ [num_ws, w_dim] truncated on the first
 * {@code truncation_cutoff} copies -> image, with the synthesis's noise as exported or fed as
 * {@link NoiseInputs}.
 */
final class StyleGan2Backbone extends GanBackbone {
    private StyleGan2Backbone(PluginContext context, GanModel model, GanShapes shapes, StyleGan2Settings s,
            Map<String, FloatTensor> noise) {
        super(context, model, shapes, meanW(model, shapes), s.truncationPsi(), s.truncationCutoff(), s.latentSpace(), noise);
    }

    static StyleGan2Backbone open(PluginContext context, String name, StyleGan2Settings s) {
        GanModel model = GanModel.read(context, name, Set.of(GanModel.ArchitectureField.NOISE_INPUTS));
        GanShapes shapes = plainShapes(model);
        return new StyleGan2Backbone(context, model, shapes, s, NoiseInputs.of(model, s.noiseMode()));
    }
}
