package org.exfacegan.runner.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * The entangled world's generator ({@link EntangledWorld}): fit space w, no truncation; an image
 * carries its w losslessly (float bits in the first pixels) so the recogniser can compute from it.
 */
public final class EntangledGanProvider implements BackboneProvider {
    @Override
    public String name() {
        return "entangled-gan";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "entangled ground-truth world for sampling tests";
    }

    /** The w a picture carries. */
    static float[] latent(ImageBatch images, int i) {
        byte[] rgb = images.image(i).rgb();
        ByteBuffer b = ByteBuffer.wrap(rgb, 0, EntangledWorld.W * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[] w = new float[EntangledWorld.W];
        for (int j = 0; j < w.length; j++) {
            w[j] = b.getFloat();
        }
        return w;
    }

    @Override
    public Backbone open(PluginContext context) {
        return new Backbone() {
            @Override
            public LatentLayout layout() {
                return new LatentLayout(new int[] {EntangledWorld.Z}, new int[] {EntangledWorld.W}, 1, "w", EntangledWorld.SIZE);
            }

            @Override
            public FloatTensor sampleZ(long seed, long firstIndex, int count) {
                return TinyWorld.normalLatents(seed, firstIndex, count, EntangledWorld.Z);
            }

            @Override
            public FloatTensor map(FloatTensor z) {
                int n = (int) z.dim(0);
                return FloatTensor.of(EntangledWorld.map(z.data(), n), n, EntangledWorld.W);
            }

            @Override
            public FloatTensor truncate(FloatTensor w) {
                return w;
            }

            @Override
            public ImageBatch synthesize(FloatTensor w) {
                int n = (int) w.dim(0);
                int px = EntangledWorld.SIZE * EntangledWorld.SIZE * 3;
                byte[] rgb = new byte[n * px];
                ByteBuffer b = ByteBuffer.wrap(rgb).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    b.position(i * px);
                    for (int j = 0; j < EntangledWorld.W; j++) {
                        b.putFloat(w.data()[i * EntangledWorld.W + j]);
                    }
                }
                return new ImageBatch(n, EntangledWorld.SIZE, EntangledWorld.SIZE, rgb);
            }

            @Override
            public FloatTensor fitLatents(FloatTensor z, FloatTensor w) {
                return w;
            }

            @Override
            public ImageBatch render(FloatTensor fitLatents) {
                return synthesize(fitLatents);
            }

            @Override
            public boolean hasGroundTruth() {
                return true;
            }

            @Override
            public FloatTensor groundTruth(FloatTensor fitLatents) {
                return factors(fitLatents, true);
            }

            @Override
            public boolean hasNuisance() {
                return true;
            }

            @Override
            public FloatTensor nuisance(FloatTensor fitLatents) {
                return factors(fitLatents, false);
            }

            private FloatTensor factors(FloatTensor fit, boolean identity) {
                int n = (int) fit.dim(0);
                int f = identity ? EntangledWorld.ID : EntangledWorld.NUISANCE;
                float[] out = new float[n * f];
                for (int i = 0; i < n; i++) {
                    double[] v = identity ? EntangledWorld.identity(fit.data(), i * EntangledWorld.W)
                            : EntangledWorld.nuisance(fit.data(), i * EntangledWorld.W);
                    for (int k = 0; k < f; k++) {
                        out[i * f + k] = (float) v[k];
                    }
                }
                return FloatTensor.of(out, n, f);
            }

            @Override
            public void close() {}
        };
    }
}
