package org.exfacegan.backbone.stylegan3;

import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.gan.GanModel;

/**
 * The StyleGAN3 synthesis input's user transform. The official synthesis samples its Fourier
 * features at T p for each output position p, where T is the buffer {@code G.synthesis.input.transform}
 * ([3, 3], identity by default). NVlabs' gen_images.py sets T to the inverse of
 * {@code make_transform(translate, rotate)} = [[c, s, tx], [-s, c, ty], [0, 0, 1]] (c, s: cosine and
 * sine of the angle in degrees), which moves the content by (tx, ty) image widths and turns it by
 * the angle. An export that keeps T as a synthesis input names it in the descriptor
 * ({@code synthesis.transform_input}); the plugin feeds it, the same for every sample.
 */
final class InputTransform {
    private InputTransform() {}

    /** T = make_transform(translate, angle)^-1, in closed form: [[c, -s, -(c tx - s ty)], [s, c, -(s tx + c ty)], [0, 0, 1]]. */
    static float[] matrix(double tx, double ty, double degrees) {
        double a = degrees / 360.0 * Math.PI * 2; // as gen_images.py computes the angle
        double s = StrictMath.sin(a);
        double c = StrictMath.cos(a);
        double[] t = {c, -s, -(c * tx - s * ty), s, c, -(s * tx + c * ty), 0, 0, 1};
        float[] out = new float[9];
        for (int i = 0; i < 9; i++) {
            out[i] = (float) t[i] + 0.0f; // + 0 turns -0 into 0, as numpy's inverse of the identity gives
        }
        return out;
    }

    /**
     * The synthesis input to feed, {@code name -> T [3, 3]}, or none when the descriptor names no
     * transform input (then only the default options are allowed).
     */
    static java.util.Map<String, FloatTensor> of(GanModel model, StyleGan3Settings s) {
        String input = model.transformInput();
        if (input == null) {
            if (!s.isIdentity()) {
                String option = s.rotate() != 0 ? "rotate " + s.rotate() : "translate " + Arrays.toString(s.translate());
                throw new ExfaceganException("backbone option " + option + " needs a synthesis with a transform input, but model "
                        + "descriptor " + model.file() + " names none (synthesis.transform_input): export the synthesis "
                        + "with its input transform as an input, or leave translate and rotate at their defaults");
            }
            return java.util.Map.of();
        }
        double[] t = s.translate();
        return java.util.Map.of(input, FloatTensor.of(matrix(t[0], t[1], s.rotate()), 3, 3));
    }
}
