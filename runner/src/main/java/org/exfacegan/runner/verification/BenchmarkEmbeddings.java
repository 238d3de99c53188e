package org.exfacegan.runner.verification;

/**
 * One embedding per image of a benchmark (flip-fused where asked).
 *
 * @param vectors  [n][d] L2-normalised embeddings; null where no face was found
 * @param rejected per image, null when embedded, else why no face was found
 */
public record BenchmarkEmbeddings(float[][] vectors, String[] rejected) {
    public BenchmarkEmbeddings {
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
