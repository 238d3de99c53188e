package org.exfacegan.api.recognizer;

/**
 * Embeddings of a batch of images.
 *
 * @param vectors  [n][d] L2-normalised embeddings; a rejected image's row is null
 * @param rejected per image, null when embedded, else why the face was rejected
 */
public record Embeddings(float[][] vectors, String[] rejected) {
    public Embeddings {
        if (vectors.length != rejected.length) {
            throw new IllegalArgumentException("vectors and rejected differ in length");
        }
    }

    public int count() {
        return vectors.length;
    }

    public boolean isRejected(int i) {
        return rejected[i] != null;
    }
}
