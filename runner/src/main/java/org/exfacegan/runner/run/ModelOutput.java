package org.exfacegan.runner.run;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;

/**
 * Checks what a plugin's model returned before anything is written: a model that changes its
 * output shape mid-run must fail its identity loudly, never write a partial or misaligned one.
 */
final class ModelOutput {
    private ModelOutput() {}

    static ImageBatch images(ImageBatch images, int expected, String what) {
        if (images == null || images.count() != expected) {
            throw new ExfaceganException("backbone returned " + (images == null ? "no" : images.count()) + " images for "
                    + expected + " latents (" + what + ")");
        }
        return images;
    }

    static ImageBatch crops(ImageBatch crops, int expected, String what) {
        if (crops == null || crops.count() != expected) {
            throw new ExfaceganException("recognizer aligned " + (crops == null ? "no" : crops.count()) + " faces for "
                    + expected + " images (" + what + ")");
        }
        return crops;
    }

    /** Count, vector size and finiteness of every accepted embedding. */
    static Embeddings embeddings(Embeddings e, int expected, int dim, String what) {
        if (e == null || e.count() != expected) {
            throw new ExfaceganException("recognizer returned " + (e == null ? "no" : e.count()) + " embeddings for "
                    + expected + " images (" + what + ")");
        }
        for (int i = 0; i < expected; i++) {
            if (e.isRejected(i)) {
                continue;
            }
            float[] v = e.vectors()[i];
            if (v == null || v.length != dim) {
                throw new ExfaceganException("recognizer returned an embedding of size " + (v == null ? "null" : v.length)
                        + ", expected " + dim + " (" + what + ", image " + i + ")");
            }
            Finite.check(v, "embedding " + i + " of " + what);
        }
        return e;
    }
}
