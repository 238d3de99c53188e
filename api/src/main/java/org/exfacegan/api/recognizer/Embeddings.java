package org.exfacegan.api.recognizer;

import org.exfacegan.api.image.ImageBatch;

/**
 * Embeddings of a batch of images, with the crops they were computed from.
 *
 * @param vectors  [n][d] L2-normalised embeddings; a rejected image's row is null
 * @param rejected per image, null when embedded, else why the face was rejected
 * @param crops    the n images the recogniser fed its model (aligned faces at its input size; a
 *                 rejected image's crop is black), so that a dataset holds exactly what it saw;
 *                 recognisers that do not align return the images themselves
 */
public record Embeddings(float[][] vectors, String[] rejected, ImageBatch crops) {
    public Embeddings {
        if (vectors.length != rejected.length) {
            throw new IllegalArgumentException("vectors and rejected differ in length");
        }
        if (crops == null || crops.count() != vectors.length) {
            throw new IllegalArgumentException((crops == null ? "no" : Integer.toString(crops.count())) + " crops for "
                    + vectors.length + " embeddings");
        }
    }

    public int count() {
        return vectors.length;
    }

    public boolean isRejected(int i) {
        return rejected[i] != null;
    }
}
