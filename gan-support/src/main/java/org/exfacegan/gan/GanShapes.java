package org.exfacegan.gan;

import java.util.Arrays;

/**
 * The per-sample latent shapes a plugin expects of its graphs: z, w before broadcasting, and the
 * number of w copies the synthesis takes. w+ inserts that number before w's last axis, so a w of V
 * vectors of size D ([D] for StyleGAN, [V, D] for GANsformer) gives w+ [.., L, D].
 */
public record GanShapes(int[] z, int[] w, int numWs) {
    public GanShapes {
        z = z.clone();
        w = w.clone();
    }

    @Override
    public int[] z() {
        return z.clone();
    }

    @Override
    public int[] w() {
        return w.clone();
    }

    /** Shape of one w+, the synthesis input. */
    public int[] wPlus() {
        int[] s = Arrays.copyOf(w, w.length + 1);
        s[w.length] = w[w.length - 1];
        s[w.length - 1] = numWs;
        return s;
    }

    public int zSize() {
        return Arrays.stream(z).reduce(1, Math::multiplyExact);
    }

    public int wSize() {
        return Arrays.stream(w).reduce(1, Math::multiplyExact);
    }

    /** Size of w's last axis. */
    public int wDim() {
        return w[w.length - 1];
    }

    /** Elements of one w+. */
    public long wPlusSize() {
        return (long) wSize() * numWs;
    }

    /** [n, item...]. */
    public static long[] batch(int n, int[] item) {
        long[] s = new long[item.length + 1];
        s[0] = n;
        for (int i = 0; i < item.length; i++) {
            s[i + 1] = item[i];
        }
        return s;
    }
}
