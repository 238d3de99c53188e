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
        byte[] rgb = images.rgb();
        int base = index * images.imageBytes();
        int k = shrink(inv, antialias);
        int kk = k * k;
        double inv2 = 1.0 / kk;
        float[] out = new float[outW * outH * 3];
        walk(images.width(), images.height(), inv, outW, outH, k, new Taps() {
            private final float[] sample = new float[3];
            private final double[] pixel = new double[3];
            private int samples;
            private int o;

            @Override
            public void tap(int offset, double weight) {
                int i = base + offset;
                sample[0] += (float) (weight * (rgb[i] & 0xff));
                sample[1] += (float) (weight * (rgb[i + 1] & 0xff));
                sample[2] += (float) (weight * (rgb[i + 2] & 0xff));
            }

            @Override
            public void endSample() {
                for (int c = 0; c < 3; c++) {
                    pixel[c] += sample[c];
                    sample[c] = 0;
                }
                if (++samples == kk) {
                    for (int c = 0; c < 3; c++) {
                        out[o + c] = (float) (pixel[c] * inv2);
                        pixel[c] = 0;
                    }
                    samples = 0;
                    o += 3;
                }
            }
        });
        return out;
    }

    /** Receives the bilinear taps of each sample, output pixels in row order, k*k samples each. */
    private interface Taps {
        /** A source pixel (byte offset of its red value in one image) and its bilinear weight. */
        void tap(int offset, double weight);

        /** The sample's taps are complete. */
        void endSample();
    }

    /**
     * The one walk over the map that {@link #affine} and {@link Plan} share, so they cannot differ:
     * for each output pixel, k x k samples; for each sample inside the source, its up to four
     * bilinear taps (top-left, top-right, bottom-left, bottom-right; outside or zero-weight taps left out).
     */
    private static void walk(int width, int height, double[] inv, int outW, int outH, int k, Taps taps) {
        for (int v = 0; v < outH; v++) {
            for (int u = 0; u < outW; u++) {
                for (int sv = 0; sv < k; sv++) {
                    double vv = v + (sv + 0.5) / k - 0.5;
                    for (int su = 0; su < k; su++) {
                        double uu = u + (su + 0.5) / k - 0.5;
                        double x = inv[0] * uu + inv[1] * vv + inv[2];
                        double y = inv[3] * uu + inv[4] * vv + inv[5];
                        if (!(x <= -1 || y <= -1 || x >= width || y >= height)) {
                            int x0 = (int) Math.floor(x);
                            int y0 = (int) Math.floor(y);
                            double fx = x - x0;
                            double fy = y - y0;
                            tap(taps, width, height, x0, y0, (1 - fx) * (1 - fy));
                            tap(taps, width, height, x0 + 1, y0, fx * (1 - fy));
                            tap(taps, width, height, x0, y0 + 1, (1 - fx) * fy);
                            tap(taps, width, height, x0 + 1, y0 + 1, fx * fy);
                        }
                        taps.endSample();
                    }
                }
            }
        }
    }

    private static void tap(Taps taps, int width, int height, int x, int y, double weight) {
        if (x < 0 || y < 0 || x >= width || y >= height || weight == 0) {
            return;
        }
        taps.tap((y * width + x) * 3, weight);
    }

    /**
     * {@link #affine} for one image size and map, precomputed: the source pixels and weights of every
     * output pixel, so that images of a batch with fixed landmarks (all warped alike) only gather and
     * add. Same arithmetic in the same order as {@link #affine}: the results are bit-identical.
     */
    public static final class Plan {
        /** Most taps a plan holds (12 bytes each); larger maps run {@link #affine} directly. */
        static final int MAX_TAPS = 1 << 22;

        private final int width;
        private final int height;
        private final int outW;
        private final int outH;
        private final int k;
        private final double inv2;
        /** Per sample (k*k per output pixel, in affine's order): end of its taps in offsets / weights. */
        private final int[] sampleEnd;
        private final int[] offsets;
        private final double[] weights;

        private Plan(int width, int height, int outW, int outH, int k, int[] sampleEnd, int[] offsets, double[] weights) {
            this.width = width;
            this.height = height;
            this.outW = outW;
            this.outH = outH;
            this.k = k;
            this.inv2 = 1.0 / (k * k);
            this.sampleEnd = sampleEnd;
            this.offsets = offsets;
            this.weights = weights;
        }

        /** The plan of {@link #affine} for width x height images, or null when it would exceed {@link #MAX_TAPS}. */
        public static Plan of(int width, int height, double[] inv, int outW, int outH, boolean antialias) {
            int k = shrink(inv, antialias);
            long most = 4L * k * k * outW * outH;
            if (most > MAX_TAPS) {
                return null;
            }
            int[] sampleEnd = new int[k * k * outW * outH];
            int[] offsets = new int[(int) most];
            double[] weights = new double[(int) most];
            walk(width, height, inv, outW, outH, k, new Taps() {
                private int taps;
                private int samples;

                @Override
                public void tap(int offset, double weight) {
                    offsets[taps] = offset;
                    weights[taps] = weight;
                    taps++;
                }

                @Override
                public void endSample() {
                    sampleEnd[samples++] = taps;
                }
            });
            return new Plan(width, height, outW, outH, k, sampleEnd, offsets, weights);
        }

        /** Whether this plan warps images of this size. */
        public boolean fits(ImageBatch images) {
            return images.width() == width && images.height() == height;
        }

        /** {@link #affine} of image {@code index}: RGB interleaved, 0-255 as floats, outH x outW. */
        public float[] apply(ImageBatch images, int index) {
            float[] out = new float[outW * outH * 3];
            run(images, index, out, null);
            return out;
        }

        /** {@code toBytes(apply(images, index))} without the float image in between. */
        public byte[] applyBytes(ImageBatch images, int index) {
            byte[] out = new byte[outW * outH * 3];
            run(images, index, null, out);
            return out;
        }

        /** Writes the warp to {@code floats} or, rounded as {@link #toBytes}, to {@code bytes}. */
        private void run(ImageBatch images, int index, float[] floats, byte[] bytes) {
            if (!fits(images)) {
                throw new IllegalArgumentException("plan for " + width + "x" + height + " images, got "
                        + images.width() + "x" + images.height());
            }
            byte[] rgb = images.rgb();
            int base = index * images.imageBytes();
            int kk = k * k;
            int s = 0;
            int t = 0;
            for (int p = 0; p < outW * outH; p++) {
                double r = 0;
                double g = 0;
                double bl = 0;
                for (int q = 0; q < kk; q++, s++) {
                    float a0 = 0;
                    float a1 = 0;
                    float a2 = 0;
                    for (int end = sampleEnd[s]; t < end; t++) {
                        int i = base + offsets[t];
                        double w = weights[t];
                        a0 += (float) (w * (rgb[i] & 0xff));
                        a1 += (float) (w * (rgb[i + 1] & 0xff));
                        a2 += (float) (w * (rgb[i + 2] & 0xff));
                    }
                    r += a0;
                    g += a1;
                    bl += a2;
                }
                int o = p * 3;
                float c0 = (float) (r * inv2);
                float c1 = (float) (g * inv2);
                float c2 = (float) (bl * inv2);
                if (bytes != null) {
                    bytes[o] = toByte(c0);
                    bytes[o + 1] = toByte(c1);
                    bytes[o + 2] = toByte(c2);
                } else {
                    floats[o] = c0;
                    floats[o + 1] = c1;
                    floats[o + 2] = c2;
                }
            }
        }
    }

    /** Samples per output pixel along each axis: 1, or the shrink factor rounded up when antialiasing. */
    private static int shrink(double[] inv, boolean antialias) {
        double stepU = Math.hypot(inv[0], inv[3]);
        double stepV = Math.hypot(inv[1], inv[4]);
        return antialias ? Math.max(1, (int) Math.ceil(Math.max(stepU, stepV) - 1e-9)) : 1;
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

    private static byte toByte(float v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Rounds RGB floats to bytes (what a saved crop holds). */
    public static byte[] toBytes(float[] rgb) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = toByte(rgb[i]);
        }
        return out;
    }
}
