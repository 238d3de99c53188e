package org.exfacegan.runner.testing;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * The tiny world's generator, a built-in for host tests (w = z; images hold rotated coordinates).
 * System properties tinygan.delayMs (sleep per render), tinygan.failAfter (throw on that render
 * call), tinygan.shapeAfter (one image short from that render call on), tinygan.nanAfter
 * (NaN latents from that map call) and tinygan.hogAfter (fill the heap on that render call) inject faults.
 */
public final class TinyGanProvider implements BackboneProvider {
    /** Fault knobs for tests, read from system properties so they never change a run's config hash. */
    static int knob(String name) {
        return Integer.getInteger("tinygan." + name, 0);
    }

    @Override
    public String name() {
        return "tiny-gan";
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
        return "tiny ground-truth world for pipeline tests";
    }

    @Override
    public Backbone open(PluginContext context) {
        int delayMs = knob("delayMs");
        int failAfter = knob("failAfter");
        int nanAfter = knob("nanAfter");
        int shapeAfter = knob("shapeAfter");
        int hogAfter = knob("hogAfter");
        return new Backbone() {
            private int renders;
            private int maps;

            @Override
            public LatentLayout layout() {
                return new LatentLayout(new int[] {TinyWorld.DIM}, new int[] {TinyWorld.DIM}, 1, "w", TinyWorld.SIZE);
            }

            @Override
            public FloatTensor sampleZ(long seed, long firstIndex, int count) {
                return TinyWorld.normalLatents(seed, firstIndex, count, TinyWorld.DIM);
            }

            @Override
            public FloatTensor map(FloatTensor z) {
                maps++;
                if (nanAfter > 0 && maps >= nanAfter) {
                    float[] bad = z.data().clone();
                    bad[0] = Float.NaN;
                    return FloatTensor.of(bad, z.shape());
                }
                return z;
            }

            @Override
            public FloatTensor truncate(FloatTensor w) {
                return w;
            }

            @Override
            public ImageBatch synthesize(FloatTensor wPlus) {
                int n = (int) wPlus.dim(0);
                int px = TinyWorld.SIZE * TinyWorld.SIZE * 3;
                byte[] rgb = new byte[n * px];
                for (int i = 0; i < n; i++) {
                    double[] f = TinyWorld.factors(wPlus.data(), i * TinyWorld.DIM);
                    for (int k = 0; k < TinyWorld.DIM; k++) {
                        rgb[i * px + k] = (byte) TinyWorld.encode(f[k]);
                    }
                }
                return new ImageBatch(n, TinyWorld.SIZE, TinyWorld.SIZE, rgb);
            }

            @Override
            public FloatTensor fitLatents(FloatTensor z, FloatTensor w) {
                return w;
            }

            @Override
            public ImageBatch render(FloatTensor fitLatents) {
                renders++;
                if (failAfter > 0 && renders >= failAfter) {
                    throw new org.exfacegan.api.ExfaceganException("tiny-gan: injected model failure on render call " + renders);
                }
                if (hogAfter > 0 && renders >= hogAfter) { // a model that needs more memory than the heap has
                    java.util.List<long[]> hog = new java.util.ArrayList<>();
                    while (hog.size() < Integer.MAX_VALUE) {
                        hog.add(new long[1 << 20]);
                    }
                }
                if (delayMs > 0) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (shapeAfter > 0 && renders >= shapeAfter && fitLatents.dim(0) > 1) {
                    int n = (int) fitLatents.dim(0) - 1;
                    float[] fewer = java.util.Arrays.copyOf(fitLatents.data(), n * TinyWorld.DIM);
                    return synthesize(FloatTensor.of(fewer, n, TinyWorld.DIM));
                }
                return synthesize(fitLatents);
            }

            @Override
            public boolean hasGroundTruth() {
                return true;
            }

            @Override
            public FloatTensor groundTruth(FloatTensor fitLatents) {
                int n = (int) fitLatents.dim(0);
                float[] out = new float[n * TinyWorld.ID_DIM];
                for (int i = 0; i < n; i++) {
                    double[] f = TinyWorld.factors(fitLatents.data(), i * TinyWorld.DIM);
                    for (int k = 0; k < TinyWorld.ID_DIM; k++) {
                        out[i * TinyWorld.ID_DIM + k] = (float) f[k];
                    }
                }
                return FloatTensor.of(out, n, TinyWorld.ID_DIM);
            }

            @Override
            public boolean hasNuisance() {
                return true;
            }

            @Override
            public FloatTensor nuisance(FloatTensor fitLatents) {
                int n = (int) fitLatents.dim(0);
                int f = TinyWorld.DIM - TinyWorld.ID_DIM;
                float[] out = new float[n * f];
                for (int i = 0; i < n; i++) {
                    double[] v = TinyWorld.factors(fitLatents.data(), i * TinyWorld.DIM);
                    for (int k = 0; k < f; k++) {
                        out[i * f + k] = (float) v[TinyWorld.ID_DIM + k];
                    }
                }
                return FloatTensor.of(out, n, f);
            }

            @Override
            public void close() {}
        };
    }
}
