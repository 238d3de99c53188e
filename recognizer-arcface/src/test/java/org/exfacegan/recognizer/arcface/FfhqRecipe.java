package org.exfacegan.recognizer.arcface;

import org.exfacegan.api.image.ImageBatch;

/**
 * The FFHQ alignment recipe (ffhq-dataset's recreate_aligned_images): from 68 landmarks,
 * eye centres e0, e1 (means of points 36-41, 42-47), mouth corners m0, m1 (points 48, 54):
 * eye_to_eye = e1 - e0, eye_to_mouth = (m0 + m1) / 2 - (e0 + e1) / 2,
 * x = eye_to_eye - rot90(eye_to_mouth), scaled to max(2 |eye_to_eye|, 1.8 |eye_to_mouth|),
 * y = rot90(x), c = eye_avg + 0.1 eye_to_mouth; the square c -+ x -+ y becomes the output image.
 */
final class FfhqRecipe {
    private FfhqRecipe() {}

    /** {cx, cy, xx, xy, yx, yy}: centre and the two half-side vectors of the square. */
    static double[] quad(float[] p68) {
        double[] e0 = mean(p68, 36, 42);
        double[] e1 = mean(p68, 42, 48);
        double[] eyeAvg = {(e0[0] + e1[0]) / 2, (e0[1] + e1[1]) / 2};
        double[] eyeToEye = {e1[0] - e0[0], e1[1] - e0[1]};
        double[] mouthAvg = {(p68[96] + p68[108]) / 2.0, (p68[97] + p68[109]) / 2.0};
        double[] eyeToMouth = {mouthAvg[0] - eyeAvg[0], mouthAvg[1] - eyeAvg[1]};
        // x = eye_to_eye - flipud(eye_to_mouth) * [-1, 1]
        double xx = eyeToEye[0] + eyeToMouth[1];
        double xy = eyeToEye[1] - eyeToMouth[0];
        double len = Math.hypot(xx, xy);
        double s = Math.max(Math.hypot(eyeToEye[0], eyeToEye[1]) * 2.0, Math.hypot(eyeToMouth[0], eyeToMouth[1]) * 1.8);
        xx = xx / len * s;
        xy = xy / len * s;
        // y = flipud(x) * [-1, 1]
        double yx = -xy;
        double yy = xx;
        return new double[] {eyeAvg[0] + 0.1 * eyeToMouth[0], eyeAvg[1] + 0.1 * eyeToMouth[1], xx, xy, yx, yy};
    }

    /** Where the 5 points land in the aligned image, as fractions of its side. */
    static float[] fractions(float[] p68, float[] five) {
        double[] q = quad(p68);
        double s2 = q[2] * q[2] + q[3] * q[3];
        float[] out = new float[10];
        for (int k = 0; k < 5; k++) {
            double dx = five[2 * k] - q[0];
            double dy = five[2 * k + 1] - q[1];
            out[2 * k] = (float) (((dx * q[2] + dy * q[3]) / s2 + 1) / 2);
            out[2 * k + 1] = (float) (((dx * q[4] + dy * q[5]) / s2 + 1) / 2);
        }
        return out;
    }

    /** The FFHQ-aligned side x side image of the face with these 68 points (what an FFHQ GAN draws). */
    static ImageBatch align(ImageBatch photo, float[] p68, int side) {
        double[] q = quad(p68);
        // output pixel centre i is at fraction (i + 0.5) / side: source = c + (2 f - 1) x + (2 g - 1) y
        double[] inv = {
            2 * q[2] / side, 2 * q[4] / side, q[0] + (1.0 / side - 1) * (q[2] + q[4]),
            2 * q[3] / side, 2 * q[5] / side, q[1] + (1.0 / side - 1) * (q[3] + q[5])};
        return new ImageBatch(1, side, side, Warp.toBytes(Warp.affine(photo, 0, inv, side, side, true)));
    }

    private static double[] mean(float[] p, int from, int to) {
        double x = 0;
        double y = 0;
        for (int i = from; i < to; i++) {
            x += p[2 * i];
            y += p[2 * i + 1];
        }
        return new double[] {x / (to - from), y / (to - from)};
    }
}
