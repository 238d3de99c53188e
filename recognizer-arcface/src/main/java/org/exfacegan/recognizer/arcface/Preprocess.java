package org.exfacegan.recognizer.arcface;

import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;

/** Turns aligned crops into model input and model output into unit vectors. */
final class Preprocess {
    private Preprocess() {}

    /**
     * Writes one 112x112 RGB crop (interleaved bytes) as 3 planes of (x - mean) / std into
     * {@code dst} at {@code offset}; {@code bgr} swaps the planes, {@code flip} mirrors left-right.
     */
    static void toNchw(byte[] crop, boolean flip, float mean, float std, boolean bgr, float[] dst, int offset) {
        int s = FaceTemplate.SIZE;
        int plane = s * s;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int src = (y * s + (flip ? s - 1 - x : x)) * 3;
                int p = y * s + x;
                for (int c = 0; c < 3; c++) {
                    int ch = bgr ? 2 - c : c;
                    dst[offset + ch * plane + p] = ((crop[src + c] & 0xff) - mean) / std;
                }
            }
        }
    }

    /** Scales v to unit length in place; an all-zero or non-finite embedding is an error of the model. */
    static float[] l2Normalize(float[] v, Path model) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new ExfaceganException("recogniser model " + model + " produced an embedding of norm " + norm
                    + " (all zeros or not finite): cannot normalise it");
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }
}
