package org.exfacegan.demo;

import org.exfacegan.recognizer.arcface.FaceTemplate;
import org.exfacegan.recognizer.arcface.Similarity;

/**
 * The demo face: its factors, the ONNX renderer (factors -> image) and the recogniser's
 * measurement windows. Geometry is in fractions of the image side; the eyes, nose tip and
 * mouth corners sit on the FFHQ layout the arcface plugin's {@code fixed} landmarks use.
 */
final class DemoFace {
    /** Identity factors: what the ground-truth output reports and the recogniser must see. */
    static final String[] IDENTITY = {"head_width", "head_height", "skin_tone", "skin_red", "hair_dark", "hair_red",
        "iris_colour", "eye_size", "hairline", "nose_width"};
    /** Nuisance factors: what the recogniser must ignore. */
    static final String[] NUISANCE = {"mouth_open", "brightness", "light_direction", "background_hue",
        "background_light", "shift_x", "shift_y", "brow_raise"};
    static final int ID = IDENTITY.length;
    static final int K = ID + NUISANCE.length;

    // factor indices
    static final int HEAD_W = 0, HEAD_H = 1, SKIN_TONE = 2, SKIN_RED = 3, HAIR_DARK = 4, HAIR_RED = 5, IRIS = 6,
            EYE_SIZE = 7, HAIRLINE = 8, NOSE_W = 9, MOUTH = 10, BRIGHT = 11, LIGHT_DIR = 12, BG_HUE = 13, BG_LIGHT = 14,
            SHIFT_X = 15, SHIFT_Y = 16, BROW = 17;

    /** Which w copies of w+ each factor reads, as in StyleGAN: 0 coarse, 1 middle, 2 fine layers. */
    static final int[] LAYER_GROUP = new int[K];

    static {
        for (int k : new int[] {HEAD_W, HEAD_H, HAIRLINE, SHIFT_X, SHIFT_Y}) {
            LAYER_GROUP[k] = 0;
        }
        for (int k : new int[] {EYE_SIZE, NOSE_W, MOUTH, BROW}) {
            LAYER_GROUP[k] = 1;
        }
        for (int k : new int[] {SKIN_TONE, SKIN_RED, HAIR_DARK, HAIR_RED, IRIS, BRIGHT, LIGHT_DIR, BG_HUE, BG_LIGHT}) {
            LAYER_GROUP[k] = 2;
        }
    }

    /** Raw (standardised) factor -> (0, 1) setting: u = sigmoid(SQUASH * raw). */
    static final double SQUASH = 1.6;

    /** The arcface plugin's fixed FFHQ layout as fractions of the image side: the face is drawn on it. */
    private static final float[] LAYOUT = FaceTemplate.fixedPoints(1, 1, null);

    static final double EYE_LX = LAYOUT[0] + 0.5, EYE_RX = LAYOUT[2] + 0.5, EYE_Y = (LAYOUT[1] + LAYOUT[3]) / 2 + 0.5,
            NOSE_TIP_Y = LAYOUT[5] + 0.5, MOUTH_Y = (LAYOUT[7] + LAYOUT[9]) / 2 + 0.5,
            MOUTH_HALF_WIDTH = (LAYOUT[8] - LAYOUT[6]) / 2, HEAD_CY = 0.52;

    private DemoFace() {}

    /**
     * Adds the renderer: {@code u} [n, K] settings in (0, 1), pixel-centre grids X, Y [1, 1, H, W]
     * in image fractions -> image [n, 3, H, W] in [-1, 1].
     */
    static String render(Ops o, String u, String x, String y, double edge) {
        String[] f = o.split(o.reshape(u, -1, K, 1, 1), K);
        String xs = o.sub(x, o.lin(f[SHIFT_X], -0.01, 0.02));
        String ys = o.sub(y, o.lin(f[SHIFT_Y], -0.01, 0.02));
        String rx = o.lin(f[HEAD_W], 0.24, 0.07);
        String ry = o.lin(f[HEAD_H], 0.29, 0.06);
        Shapes s = new Shapes(o, xs, ys, edge);

        String bg = colour(o, new double[] {0.30, 0.42, 0.62}, f[BG_HUE], new double[] {0.02, 0.13, -0.22},
                o.lin(f[BG_LIGHT], -0.5, 1), new double[] {0.3, 0.3, 0.3});
        String hairCol = colour(o, new double[] {0.80, 0.66, 0.40}, f[HAIR_DARK], new double[] {-0.68, -0.57, -0.32},
                o.lin(f[HAIR_RED], -0.5, 1), new double[] {0.22, 0.0, -0.10});
        String skin = colour(o, new double[] {0.93, 0.78, 0.66}, f[SKIN_TONE], new double[] {-0.40, -0.42, -0.40},
                o.lin(f[SKIN_RED], -0.5, 1), new double[] {0.10, -0.04, -0.02});
        String iris = colour(o, new double[] {0.30, 0.48, 0.75}, f[IRIS], new double[] {0.12, -0.22, -0.63}, null, null);

        // hair: an ellipse behind and above the head, cut off above the cheeks
        String hair = o.mul(s.ellipse(o.c(0.5), o.c(HEAD_CY - 0.07), o.add(rx, o.c(0.04)), ry),
                s.below(o.c(0.60), ys, true));
        String img = over(o, bg, hair, hairCol);
        // skin below a hairline that curves down at the temples
        String hl = o.add(o.lin(f[HAIRLINE], 0.25, 0.08), o.mul(o.c(0.9), o.sq(o.sub(xs, o.c(0.5)))));
        String head = o.mul(s.ellipse(o.c(0.5), o.c(HEAD_CY), rx, ry), s.below(hl, ys, false));
        img = over(o, img, head, skin);
        // nose: a darker shading
        String nose = s.ellipse(o.c(0.5), o.c(NOSE_TIP_Y - 0.05), o.lin(f[NOSE_W], 0.025, 0.03), o.c(0.05));
        img = o.mul(img, o.sub(o.c(1), o.mul(o.c(0.2), nose)));
        // brows in the hair colour
        String browY = o.lin(f[BROW], 0.405, 0.02);
        String brows = o.add(s.ellipse(o.c(EYE_LX), browY, o.c(0.045), o.c(0.01)),
                s.ellipse(o.c(EYE_RX), browY, o.c(0.045), o.c(0.01)));
        img = over(o, img, brows, hairCol);
        // eyes: sclera, iris, pupil
        String srx = o.lin(f[EYE_SIZE], 0.04, 0.022);
        String sry = o.mul(srx, o.c(0.6));
        String ir = o.mul(sry, o.c(0.85));
        img = over(o, img, s.pair(srx, sry), o.t(new float[] {0.9f, 0.9f, 0.88f}, 1, 3, 1, 1));
        img = over(o, img, s.pair(ir, ir), iris);
        img = o.mul(img, o.sub(o.c(1), o.mul(o.c(0.85), s.pair(o.mul(ir, o.c(0.45)), o.mul(ir, o.c(0.45))))));
        // mouth: lips in a reddened skin tone, a dark opening
        String open = f[MOUTH];
        String lips = s.ellipse(o.c(0.5), o.c(MOUTH_Y), o.c(MOUTH_HALF_WIDTH), o.lin(open, 0.014, 0.03));
        img = over(o, img, lips, o.mul(skin, o.t(new float[] {0.85f, 0.55f, 0.55f}, 1, 3, 1, 1)));
        String inner = s.ellipse(o.c(0.5), o.c(MOUTH_Y), o.c(0.85 * MOUTH_HALF_WIDTH), o.lin(open, 0.001, 0.025));
        img = over(o, img, inner, o.t(new float[] {0.2f, 0.05f, 0.07f}, 1, 3, 1, 1));
        // lighting: overall brightness and a left-right gradient, fixed in the image frame
        String gradient = o.mul(o.lin(f[LIGHT_DIR], -0.2, 0.4), o.lin(x, -1, 2));
        String light = o.mul(o.lin(f[BRIGHT], 0.6, 0.35), o.add(o.c(1), gradient));
        img = o.mul(img, light);
        String clipped = o.fresh("clip");
        o.node("Clip", clipped, img, o.c(0), o.c(1));
        return o.lin(clipped, -1, 2);
    }

    /** base + u1 * d1 (+ v2 * d2) as [n, 3, 1, 1]. */
    private static String colour(Ops o, double[] base, String u1, double[] d1, String v2, double[] d2) {
        String c = o.add(o.t(floats(base), 1, 3, 1, 1), o.mul(u1, o.t(floats(d1), 1, 3, 1, 1)));
        return v2 == null ? c : o.add(c, o.mul(v2, o.t(floats(d2), 1, 3, 1, 1)));
    }

    /** Paints {@code colour} over {@code img} with coverage {@code mask}. */
    private static String over(Ops o, String img, String mask, String colour) {
        return o.add(img, o.mul(mask, o.sub(colour, img)));
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Soft shapes on the shifted grid; {@code edge} is the blur width in image fractions. */
    private record Shapes(Ops o, String xs, String ys, double edge) {
        /**
         * Soft ellipse: coverage sigmoid(-distance / edge), the distance measured along the ray from
         * the centre (|p| - r(angle) = |p| (1 - 1/sqrt(q)), q the normalised radius squared). It never
         * underestimates the distance to the outline, so thin shapes do not bleed.
         */
        String ellipse(String cx, String cy, String rx, String ry) {
            String px = o.sub(xs, cx);
            String py = o.sub(ys, cy);
            String q = o.add(o.add(o.sq(o.div(px, rx)), o.sq(o.div(py, ry))), o.c(1e-12));
            String rad = o.op("Sqrt", o.add(o.add(o.sq(px), o.sq(py)), o.c(1e-12)));
            String dist = o.sub(rad, o.div(rad, o.op("Sqrt", q)));
            return o.sigmoid(o.mul(dist, o.c(-1 / edge)));
        }

        /** Both eyes. */
        String pair(String rx, String ry) {
            return o.add(ellipse(o.c(EYE_LX), o.c(EYE_Y), rx, ry), ellipse(o.c(EYE_RX), o.c(EYE_Y), rx, ry));
        }

        /** 1 where v is above (smaller than) {@code limit} when {@code above}, else where it is below. */
        String below(String limit, String v, boolean above) {
            String d = above ? o.sub(limit, v) : o.sub(v, limit);
            return o.sigmoid(o.mul(d, o.c(1 / edge)));
        }
    }

    /** Pixel-centre grids of an r x r image in image fractions, [1, 1, r, r] each. */
    static float[][] imageGrid(int r) {
        float[] gx = new float[r * r];
        float[] gy = new float[r * r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                gx[i * r + j] = (float) ((j + 0.5) / r);
                gy[i * r + j] = (float) ((i + 0.5) / r);
            }
        }
        return new float[][] {gx, gy};
    }

    /**
     * Where the pixel centres of the 112 x 112 aligned crop lie in image fractions, for crop pixels
     * sampled every {@code step} pixels (step 1: the full crop), using the arcface plugin's fixed
     * FFHQ landmarks and template. The map is the same for every resolution.
     */
    static float[][] cropGrid(int step) {
        int r = 1024;
        Similarity toImage = FaceTemplate.toArcFace(FaceTemplate.fixedPoints(r, r, null)).inverse();
        int m = FaceTemplate.SIZE / step;
        float[] gx = new float[m * m];
        float[] gy = new float[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                // centre of a step x step block of crop pixels
                double u = j * step + (step - 1) / 2.0;
                double v = i * step + (step - 1) / 2.0;
                double[] p = toImage.apply(u, v);
                gx[i * m + j] = (float) ((p[0] + 0.5) / r);
                gy[i * m + j] = (float) ((p[1] + 0.5) / r);
            }
        }
        return new float[][] {gx, gy};
    }

    /** Recogniser measurement windows: Gaussian spots (symmetric pairs) in image fractions. */
    enum Window {
        SKIN(0.022, 0.36, 0.63, 0.64, 0.63),
        BACKGROUND(0.012, 0.15, 0.72, 0.85, 0.72),
        SIDE(0.025, 0.285, 0.72, 0.715, 0.72),
        CHIN(0.018, 0.5, 0.84),
        HAIR(0.012, 0.44, 0.21, 0.56, 0.21),
        HAIRLINE(0.02, 0.5, 0.29),
        IRIS(0.006, EYE_LX, EYE_Y, EYE_RX, EYE_Y),
        EYE(0.028, EYE_LX, EYE_Y, EYE_RX, EYE_Y),
        NOSE(0.025, 0.5, NOSE_TIP_Y - 0.05),
        FOREHEAD(0.015, 0.5, 0.37);

        final double sigma;
        final double[] centres;

        Window(double sigma, double... centres) {
            this.sigma = sigma;
            this.centres = centres;
        }

        /** Normalised weights over grid points given in image fractions. */
        float[] weights(float[][] grid) {
            int n = grid[0].length;
            double[] w = new double[n];
            double sum = 0;
            for (int p = 0; p < n; p++) {
                for (int c = 0; c < centres.length; c += 2) {
                    double dx = grid[0][p] - centres[c];
                    double dy = grid[1][p] - centres[c + 1];
                    w[p] += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                }
                sum += w[p];
            }
            float[] out = new float[n];
            for (int p = 0; p < n; p++) {
                out[p] = (float) (w[p] / sum);
            }
            return out;
        }
    }
}
