package org.exfacegan.recognizer.arcface;

import org.exfacegan.api.image.ImageBatch;

/**
 * Bilinear resampling of one image of a batch through an affine map from output to source
 * pixels. Pixel (i, j)'s centre is at (i, j). Samples outside the source are black, blended
 * bilinearly at the border (like OpenCV's warpAffine with BORDER_CONSTANT 0, which insightface
 * uses for its crops). When the map shrinks, {@code antialias} averages k x k bilinear samples
 * per output pixel (k = ceil of the shrink factor) so a 1024 px face is not aliased at 112 px.
 */
public final class Warp {
    private Warp() {}

    /**
     * @param inv output (u, v) -> source (x, y) as {m00, m01, m02, m10, m11, m12}
     * @return RGB interleaved, 0-255 as floats, outH x outW
     */
    public static float[] affine(ImageBatch images, int index, double[] inv, int outW, int outH, boolean antialias) {
        int w = images.width();
        int h = images.height();
        byte[] rgb = images.rgb();
        int base = index * images.imageBytes();
        // source step per output pixel along u and v
        double stepU = Math.hypot(inv[0], inv[3]);
        double stepV = Math.hypot(inv[1], inv[4]);
        int k = antialias ? Math.max(1, (int) Math.ceil(Math.max(stepU, stepV) - 1e-9)) : 1;
        float[] out = new float[outW * outH * 3];
        float[] acc = new float[3];
        double inv2 = 1.0 / (k * k);
        for (int v = 0; v < outH; v++) {
            for (int u = 0; u < outW; u++) {
                double r = 0;
                double g = 0;
                double bl = 0;
                for (int sv = 0; sv < k; sv++) {
                    double vv = v + (sv + 0.5) / k - 0.5;
                    for (int su = 0; su < k; su++) {
                        double uu = u + (su + 0.5) / k - 0.5;
                        double x = inv[0] * uu + inv[1] * vv + inv[2];
                        double y = inv[3] * uu + inv[4] * vv + inv[5];
                        sample(rgb, base, w, h, x, y, acc);
                        r += acc[0];
                        g += acc[1];
                        bl += acc[2];
                    }
                }
                int o = (v * outW + u) * 3;
                out[o] = (float) (r * inv2);
                out[o + 1] = (float) (g * inv2);
                out[o + 2] = (float) (bl * inv2);
            }
        }
        return out;
    }

    /** The crop that {@code toCrop} (source -> output coordinates) maps onto an outW x outH image. */
    public static float[] similarity(ImageBatch images, int index, Similarity toCrop, int outW, int outH, boolean antialias) {
        return affine(images, index, toCrop.inverse().matrix(), outW, outH, antialias);
    }

    /** Scales the source rectangle [x0, x0 + sw] x [y0, y0 + sh] (pixel-edge coordinates) to outW x outH. */
    public static float[] resize(ImageBatch images, int index, double x0, double y0, double sw, double sh,
            int outW, int outH, boolean antialias) {
        double sx = sw / outW;
        double sy = sh / outH;
        // output pixel centre u maps to source edge coordinate x0 + (u + 0.5) sx, centre coordinate - 0.5
        double[] inv = {sx, 0, x0 + 0.5 * sx - 0.5, 0, sy, y0 + 0.5 * sy - 0.5};
        return affine(images, index, inv, outW, outH, antialias);
    }

    private static void sample(byte[] rgb, int base, int w, int h, double x, double y, float[] out) {
        out[0] = 0;
        out[1] = 0;
        out[2] = 0;
        if (x <= -1 || y <= -1 || x >= w || y >= h) {
            return;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        add(rgb, base, w, h, x0, y0, (1 - fx) * (1 - fy), out);
        add(rgb, base, w, h, x0 + 1, y0, fx * (1 - fy), out);
        add(rgb, base, w, h, x0, y0 + 1, (1 - fx) * fy, out);
        add(rgb, base, w, h, x0 + 1, y0 + 1, fx * fy, out);
    }

    private static void add(byte[] rgb, int base, int w, int h, int x, int y, double weight, float[] out) {
        if (x < 0 || y < 0 || x >= w || y >= h || weight == 0) {
            return;
        }
        int i = base + (y * w + x) * 3;
        out[0] += (float) (weight * (rgb[i] & 0xff));
        out[1] += (float) (weight * (rgb[i + 1] & 0xff));
        out[2] += (float) (weight * (rgb[i + 2] & 0xff));
    }

    /** Rounds RGB floats to bytes (what a saved crop holds). */
    public static byte[] toBytes(float[] rgb) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(rgb[i])));
        }
        return out;
    }
}
