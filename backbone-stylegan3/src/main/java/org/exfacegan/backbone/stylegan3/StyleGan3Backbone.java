package org.exfacegan.backbone.stylegan3;

import java.util.Map;
import java.util.Set;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.gan.GanBackbone;
import org.exfacegan.gan.GanModel;
import org.exfacegan.gan.GanShapes;

/**
 * A StyleGAN3 generator: z [z_dim] -> w [w_dim] -> w+ [num_ws, w_dim] truncated on the first
 * {@code truncation_cutoff} copies -> image. The synthesis usually has a static batch (the host
 * splits and pads calls to it) and may take the {@link InputTransform} as an input.
 */
final class StyleGan3Backbone extends GanBackbone {
    private StyleGan3Backbone(PluginContext context, GanModel model, GanShapes shapes, StyleGan3Settings s,
            Map<String, FloatTensor> transform) {
        super(context, model, shapes, meanW(model, shapes), s.truncationPsi(), s.truncationCutoff(), s.latentSpace(), transform);
    }

    static StyleGan3Backbone open(PluginContext context, String name, StyleGan3Settings s) {
        GanModel model = GanModel.read(context, name, Set.of(GanModel.ArchitectureField.TRANSFORM_INPUT));
        GanShapes shapes = plainShapes(model);
        return new StyleGan3Backbone(context, model, shapes, s, InputTransform.of(model, s));
    }
}
