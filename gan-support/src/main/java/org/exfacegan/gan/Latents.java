package org.exfacegan.gan;

/**
 * Latent arithmetic of the StyleGAN layout: z [n, Z], w [n, D], w+ [n, L, D] with L the number of
 * w copies (num_ws). Latent tensors are flat float arrays.
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

    /** w [n, D] -> w+ [n, L, D] by repeating each vector L times. */
    public static float[] broadcast(float[] w, int n, int numWs, int dim) {
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(n, numWs), dim)];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < numWs; l++) {
                System.arraycopy(w, i * dim, out, (i * numWs + l) * dim, dim);
            }
        }
        return out;
    }

    /** w+ [n, L, D] -> w [n, D], the first of the L copies (before truncation all copies are equal). */
    public static float[] firstCopies(float[] wPlus, int n, int numWs, int dim) {
        float[] out = new float[Math.multiplyExact(n, dim)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(wPlus, i * numWs * dim, out, i * dim, dim);
        }
        return out;
    }

    /**
     * Truncation in place of w+ [n, L, D]: for the first {@code cutoff} of the L copies (all when
     * cutoff >= L, as slicing does in the official code) w+ := w_avg + psi (w+ - w_avg), w_avg [D].
     * psi = 1 leaves w+ untouched (exactly), psi = 0 gives w_avg.
     */
    public static void truncate(float[] wPlus, int n, int numWs, int dim, float[] wAvg, double psi, int cutoff) {
        truncateStrided(wPlus, 0, 1, n, numWs, dim, wAvg, 0, psi, cutoff);
    }

    /**
     * Truncation in place of {@code n} w+ blocks [L, D] of {@code wPlus}, block {@code first} and
     * every {@code stride}-th after it, toward {@code wAvg[avgOffset .. avgOffset + D)}: layouts with
     * several latent vectors per sample (GANsformer) truncate each vector toward its own mean.
     */
    public static void truncateStrided(float[] wPlus, int first, int stride, int n, int numWs, int dim, float[] wAvg,
            int avgOffset, double psi, int cutoff) {
        if (psi == 1.0) {
            return;
        }
        int layers = Math.min(cutoff, numWs);
        float p = (float) psi;
        for (int b = 0; b < n; b++) {
            int block = first + b * stride;
            for (int l = 0; l < layers; l++) {
                int base = (block * numWs + l) * dim;
                for (int d = 0; d < dim; d++) {
                    float a = wAvg[avgOffset + d];
                    wPlus[base + d] = a + p * (wPlus[base + d] - a);
                }
            }
        }
    }
}
