package org.exfacegan.api.backbone.support;

/**
 * Latent arithmetic shared by the GAN backbones. Latent tensors are flat float arrays; w and w+
 * are viewed as [n, C, D] and [n, C, L, D] where C is the number of components (1 for StyleGAN),
 * L the number of w copies (num_ws) and D the w dimension.
 */
public final class Latents {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private Latents() {}

    /**
     * Standard normal values for samples firstIndex .. firstIndex+count-1 of the stream {@code seed},
     * {@code dim} values each. Each sample is a pure function of (seed, index): a SplitMix64 stream
     * keyed by both, turned into normals by Box-Muller with StrictMath, so the values are the same
     * for any batching and on any JVM.
     */
    public static float[] normal(long seed, long firstIndex, int count, int dim) {
        float[] out = new float[Math.multiplyExact(count, dim)];
        long seedKey = mix64(seed);
        for (int i = 0; i < count; i++) {
            long key = mix64(seedKey ^ mix64((firstIndex + i) * GOLDEN_GAMMA + 0x632be59bd9b4e019L));
            long state = key;
            for (int j = 0; j < dim; j += 2) {
                state += GOLDEN_GAMMA;
                double u1 = (mix64(state) >>> 11) * 0x1.0p-53;
                state += GOLDEN_GAMMA;
                double u2 = (mix64(state) >>> 11) * 0x1.0p-53;
                double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)); // 1 - u1 is in (0, 1]
                double a = 2.0 * Math.PI * u2;
                out[i * dim + j] = (float) (r * StrictMath.cos(a));
                if (j + 1 < dim) {
                    out[i * dim + j + 1] = (float) (r * StrictMath.sin(a));
                }
            }
        }
        return out;
    }

    /** SplitMix64's finaliser (Steele et al., as in java.util.SplittableRandom). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** w [n, C, D] -> w+ [n, C, L, D] by repeating each component's vector L times. */
    public static float[] broadcast(float[] w, int n, int components, int numWs, int dim) {
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(n * components, numWs), dim)];
        for (int nc = 0; nc < n * components; nc++) {
            for (int l = 0; l < numWs; l++) {
                System.arraycopy(w, nc * dim, out, (nc * numWs + l) * dim, dim);
            }
        }
        return out;
    }

    /**
     * Truncation in place: for the first {@code cutoff} of the L copies (all when cutoff >= L, as
     * slicing does in the official code) w+ := w_avg + psi (w+ - w_avg), with wAvg [C, D] the mean of
     * each component. psi = 1 leaves w+ untouched (exactly), psi = 0 gives w_avg.
     */
    public static void truncate(float[] wPlus, int n, int components, int numWs, int dim, float[] wAvg, double psi, int cutoff) {
        if (psi == 1.0) {
            return;
        }
        int layers = Math.min(cutoff, numWs);
        float p = (float) psi;
        for (int nc = 0; nc < n * components; nc++) {
            int avg = (nc % components) * dim;
            for (int l = 0; l < layers; l++) {
                int base = (nc * numWs + l) * dim;
                for (int d = 0; d < dim; d++) {
                    float a = wAvg[avg + d];
                    wPlus[base + d] = a + p * (wPlus[base + d] - a);
                }
            }
        }
    }
}
