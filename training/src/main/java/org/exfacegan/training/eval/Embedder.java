package org.exfacegan.training.eval;

/** The network being trained, as an evaluator sees it: faces in, L2-normalised embeddings out. */
@FunctionalInterface
public interface Embedder {
    /**
     * @param rgb   {@code count} aligned 112x112 faces, 8-bit RGB interleaved, one after another
     * @param count number of faces
     * @return one unit-length embedding per face
     */
    float[][] embed(byte[] rgb, int count);
}
