package org.exfacegan.gan;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;

/** Generator output tensors to 8-bit RGB images. */
public final class Images {
    private Images() {}

    /**
     * Converts [n, 3, H, W] (NCHW) or [n, H, W, 3] (NHWC) values in [low, high] to 8-bit RGB,
     * v = floor((x - low) * 255 / (high - low) + 0.5) clamped to 0..255; for [-1, 1] this is the
     * official StyleGAN conversion (x * 127.5 + 128).clamp(0, 255). BGR channels are swapped to RGB.
     */
    public static ImageBatch toRgb8(FloatTensor t, boolean nhwc, boolean bgr, double low, double high) {
        long[] s = t.shape();
        int channelAxis = nhwc ? 3 : 1;
        if (s.length != 4 || s[channelAxis] != 3) {
            throw new ExfaceganException("generator image output has shape " + FloatTensor.shapeString(s)
                    + ", expected " + (nhwc ? "[n, H, W, 3]" : "[n, 3, H, W]"));
        }
        int n = (int) s[0];
        int h = (int) (nhwc ? s[1] : s[2]);
        int w = (int) (nhwc ? s[2] : s[3]);
        float scale = (float) (255.0 / (high - low));
        float offset = (float) (-low * 255.0 / (high - low) + 0.5);
        float[] x = t.data();
        byte[] rgb = new byte[n * h * w * 3];
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                // one channel plane at a time: sequential reads for NCHW, the layout generators emit
                int src = nhwc ? i * plane * 3 + c : (i * 3 + c) * plane;
                int srcStep = nhwc ? 3 : 1;
                int dst = i * plane * 3 + (bgr ? 2 - c : c);
                for (int p = 0; p < plane; p++, src += srcStep, dst += 3) {
                    rgb[dst] = toByte(x[src] * scale + offset);
                }
            }
        }
        return new ImageBatch(n, h, w, rgb);
    }

    /** floor(v) clamped to 0..255 for v >= 0, 0 for NaN; branch-free (the int cast truncates, saturates, maps NaN to 0). */
    private static byte toByte(float v) {
        return (byte) Math.min(255, Math.max(0, (int) v));
    }
}
