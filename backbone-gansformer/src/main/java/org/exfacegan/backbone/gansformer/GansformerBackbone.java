package org.exfacegan.backbone.gansformer;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.gan.GanBackbone;
import org.exfacegan.gan.GanModel;
import org.exfacegan.gan.GanShapes;
import org.exfacegan.gan.Latents;

/**
 * A GANsformer generator. Its latent is a set of C = k+1 components: k local ones that reach image
 * regions through attention and one global one that modulates the whole image, stored last (the
 * official code splits z into [k, 1] along the component axis). z [C, z_dim] -> w [C, w_dim] ->
 * w+ [C, num_ws, w_dim]: each component has its own w copies, and truncation pulls each component
 * toward its own mean (the descriptor's w_avg row, or the one shared mean the official model keeps).
 */
final class GansformerBackbone extends GanBackbone {
    private final int components;
    private final float[] means;

    private GansformerBackbone(PluginContext context, GanModel model, GanShapes shapes, float[] means, GansformerSettings s) {
        super(context, model, shapes, means, s.truncationPsi(), s.truncationCutoff(), s.latentSpace(), Map.of());
        this.components = shapes.w()[0];
        this.means = means.clone();
    }

    static GansformerBackbone open(PluginContext context, String name, GansformerSettings s) {
        GanModel model = GanModel.read(context, name, Set.of(GanModel.ArchitectureField.COMPONENTS));
        Integer c = model.components();
        if (c == null) {
            throw model.error("/components", "required field is missing (the number of latent components k+1, global last)");
        }
        if (c < 2 || c > GanModel.MAX_LAYERS) {
            throw model.error("/components", "expected an integer >= 2 and <= " + GanModel.MAX_LAYERS + ", got " + c);
        }
        GanShapes shapes = checkSize(model, new GanShapes(new int[] {c, model.zDim()}, new int[] {c, model.wDim()},
                model.numWs()), "/components");
        return new GansformerBackbone(context, model, shapes, componentMeans(model, c), s);
    }

    /** w_avg [C, w_dim], one mean per component, or [w_dim], one mean shared by all (the official model's), repeated. */
    static float[] componentMeans(GanModel model, int components) {
        int d = model.wDim();
        FloatTensor t = model.wAvg((long) components * d);
        long[] perComponent = {components, d};
        if (Arrays.equals(t.shape(), perComponent)) {
            return t.data();
        }
        if (Arrays.equals(t.shape(), new long[] {d})) {
            float[] out = new float[components * d];
            for (int i = 0; i < components; i++) {
                System.arraycopy(t.data(), 0, out, i * d, d);
            }
            return out;
        }
        throw model.error("/w_avg", "expected shape " + FloatTensor.shapeString(perComponent) + " or [" + d + "], got "
                + FloatTensor.shapeString(t.shape()));
    }

    /** w [n, C, D] -> w+ [n, C, L, D]: each component's vector repeated L times. */
    @Override
    protected float[] broadcast(float[] w, int n) {
        return Latents.broadcast(w, n * components, shapes().numWs(), shapes().wDim());
    }

    @Override
    protected float[] firstCopies(float[] wPlus, int n) {
        return Latents.firstCopies(wPlus, n * components, shapes().numWs(), shapes().wDim());
    }

    /** Component c of every sample (w+ block c, then every C-th) toward row c of the means. */
    @Override
    protected void truncateInPlace(float[] wPlus, int n) {
        int d = shapes().wDim();
        for (int c = 0; c < components; c++) {
            Latents.truncateStrided(wPlus, c, components, n, shapes().numWs(), d, means, c * d, truncationPsi(),
                    truncationCutoff());
        }
    }
}
