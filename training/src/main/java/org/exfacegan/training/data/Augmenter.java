package org.exfacegan.training.data;

import java.util.SplittableRandom;

/**
 * Training-time augmentation of 8-bit RGB images (interleaved, row-major): a horizontal flip with
 * probability 1/2, then {@code ops} operations drawn uniformly (with replacement) from RandAugment's
 * list (Cubuk et al., 2020), at one magnitude on torchvision's 0-30 scale, each with a random sign
 * where it has one. Geometric operations turn about the image centre, sample the nearest pixel and
 * fill with black. All randomness comes from the caller's stream, so a sample's augmentation is a
 * function of (seed, epoch, sample).
 */
public final class Augmenter {
    /** The operations, in RandAugment's order. */
    enum Op { IDENTITY, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE, BRIGHTNESS, COLOR, CONTRAST, SHARPNESS,
        POSTERIZE, SOLARIZE, AUTO_CONTRAST, EQUALIZE }

    public static final int MAX_MAGNITUDE = 30;

    private final boolean flip;
    private final int ops;
    private final double level;

    /** @param magnitude 0-30 */
    public Augmenter(boolean flip, int ops, int magnitude) {
        if (ops < 0 || magnitude < 0 || magnitude > MAX_MAGNITUDE) {
            throw new IllegalArgumentException("ops " + ops + ", magnitude " + magnitude);
        }
        this.flip = flip;
        this.ops = ops;
        this.level = magnitude / (double) MAX_MAGNITUDE;
    }

    /** No change at all: neither flip nor operations. */
    public boolean isIdentity() {
        return !flip && ops == 0;
    }

    /** A new, augmented image; {@code rgb} is left as it is. */
    public byte[] apply(byte[] rgb, int height, int width, SplittableRandom rnd) {
        byte[] img = rgb.clone();
        if (flip && rnd.nextBoolean()) {
            img = mirror(img, height, width);
        }
        Op[] all = Op.values();
        for (int i = 0; i < ops; i++) {
            Op op = all[rnd.nextInt(all.length)];
            double sign = rnd.nextBoolean() ? 1 : -1;
            img = apply(op, sign, img, height, width);
        }
        return img;
    }

    byte[] apply(Op op, double sign, byte[] img, int h, int w) {
        return switch (op) {
            case IDENTITY -> img;
            case SHEAR_X -> affine(img, h, w, 1, sign * 0.3 * level, 0, 1, 0, 0);
            case SHEAR_Y -> affine(img, h, w, 1, 0, sign * 0.3 * level, 1, 0, 0);
            case TRANSLATE_X -> affine(img, h, w, 1, 0, 0, 1, sign * 150.0 / 331 * w * level, 0);
            case TRANSLATE_Y -> affine(img, h, w, 1, 0, 0, 1, 0, sign * 150.0 / 331 * h * level);
            case ROTATE -> {
                double a = Math.toRadians(sign * 30 * level);
                yield affine(img, h, w, Math.cos(a), -Math.sin(a), Math.sin(a), Math.cos(a), 0, 0);
            }
            case BRIGHTNESS -> blend(img, new byte[img.length], 1 + sign * 0.9 * level);
            case COLOR -> blend(img, grey(img), 1 + sign * 0.9 * level);
            case CONTRAST -> blend(img, meanGrey(img), 1 + sign * 0.9 * level);
            case SHARPNESS -> blend(img, smooth(img, h, w), 1 + sign * 0.9 * level);
            case POSTERIZE -> posterize(img, 8 - (int) Math.round(4 * level));
            case SOLARIZE -> solarize(img, 255 * (1 - level));
            case AUTO_CONTRAST -> autoContrast(img);
            case EQUALIZE -> equalize(img);
        };
    }

    static byte[] mirror(byte[] img, int h, int w) {
        byte[] out = new byte[img.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(img, (y * w + x) * 3, out, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return out;
    }

    /**
     * Output pixel p takes the input at A^-1 (p - c - t) + c for the centre c: the image moved by
     * [[a, b], [c, d]] about its centre, then shifted by (tx, ty).
     */
    private static byte[] affine(byte[] img, int h, int w, double a, double b, double c, double d, double tx, double ty) {
        double det = a * d - b * c;
        double ia = d / det;
        double ib = -b / det;
        double ic = -c / det;
        double id = a / det;
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        byte[] out = new byte[img.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double px = x - cx - tx;
                double py = y - cy - ty;
                int sx = (int) Math.round(ia * px + ib * py + cx);
                int sy = (int) Math.round(ic * px + id * py + cy);
                if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
                    System.arraycopy(img, (sy * w + sx) * 3, out, (y * w + x) * 3, 3);
                }
            }
        }
        return out;
    }

    /** degenerate + factor (img - degenerate), clamped: PIL's ImageEnhance. */
    private static byte[] blend(byte[] img, byte[] degenerate, double factor) {
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            int d = degenerate[i] & 0xff;
            out[i] = clamp(d + factor * ((img[i] & 0xff) - d));
        }
        return out;
    }

    private static int luma(byte[] img, int pixel) {
        return (int) Math.round(0.299 * (img[pixel] & 0xff) + 0.587 * (img[pixel + 1] & 0xff) + 0.114 * (img[pixel + 2] & 0xff));
    }

    private static byte[] grey(byte[] img) {
        byte[] out = new byte[img.length];
        for (int p = 0; p < img.length; p += 3) {
            byte g = (byte) luma(img, p);
            out[p] = g;
            out[p + 1] = g;
            out[p + 2] = g;
        }
        return out;
    }

    private static byte[] meanGrey(byte[] img) {
        long sum = 0;
        for (int p = 0; p < img.length; p += 3) {
            sum += luma(img, p);
        }
        byte[] out = new byte[img.length];
        java.util.Arrays.fill(out, (byte) Math.round(sum / (img.length / 3.0)));
        return out;
    }

    /** PIL's SMOOTH kernel (1 1 1 / 1 5 1 / 1 1 1, / 13); the border stays as it is. */
    private static byte[] smooth(byte[] img, int h, int w) {
        byte[] out = img.clone();
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int s = 4 * (img[(y * w + x) * 3 + ch] & 0xff);
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            s += img[((y + dy) * w + x + dx) * 3 + ch] & 0xff;
                        }
                    }
                    out[(y * w + x) * 3 + ch] = (byte) Math.round(s / 13.0);
                }
            }
        }
        return out;
    }

    private static byte[] posterize(byte[] img, int bits) {
        int mask = (0xff << (8 - bits)) & 0xff;
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = (byte) (img[i] & mask);
        }
        return out;
    }

    private static byte[] solarize(byte[] img, double threshold) {
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            int v = img[i] & 0xff;
            out[i] = (byte) (v >= threshold ? 255 - v : v);
        }
        return out;
    }

    /** Each channel stretched from its min..max to 0..255. */
    private static byte[] autoContrast(byte[] img) {
        byte[] out = img.clone();
        for (int ch = 0; ch < 3; ch++) {
            int lo = 255;
            int hi = 0;
            for (int i = ch; i < img.length; i += 3) {
                lo = Math.min(lo, img[i] & 0xff);
                hi = Math.max(hi, img[i] & 0xff);
            }
            if (hi > lo) {
                double scale = 255.0 / (hi - lo);
                for (int i = ch; i < img.length; i += 3) {
                    out[i] = clamp(((img[i] & 0xff) - lo) * scale);
                }
            }
        }
        return out;
    }

    /** Each channel's histogram equalised (PIL's ImageOps.equalize). */
    private static byte[] equalize(byte[] img) {
        byte[] out = img.clone();
        int n = img.length / 3;
        for (int ch = 0; ch < 3; ch++) {
            int[] hist = new int[256];
            for (int i = ch; i < img.length; i += 3) {
                hist[img[i] & 0xff]++;
            }
            int last = 255;
            while (last > 0 && hist[last] == 0) {
                last--;
            }
            int step = (n - hist[last]) / 255;
            if (step == 0) {
                continue;
            }
            int[] lut = new int[256];
            int acc = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, acc / step);
                acc += hist[v];
            }
            for (int i = ch; i < img.length; i += 3) {
                out[i] = (byte) lut[img[i] & 0xff];
            }
        }
        return out;
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }
}
