package org.exfacegan.runner.run;

/**
 * The probe set: latents drawn from the seed, rendered and embedded.
 *
 * @param latents    [n * dim] fit-space latents, row-major
 * @param dim        fit-space dimension
 * @param embeddings [n * embDim] L2-normalised embeddings (zeros for rejected faces)
 * @param embDim     embedding size
 * @param accepted   per probe, whether the recogniser embedded its face
 */
public record ProbeSet(float[] latents, int dim, float[] embeddings, int embDim, boolean[] accepted) {
    public int size() {
        return accepted.length;
    }

    public int acceptedCount() {
        int n = 0;
        for (boolean a : accepted) {
            if (a) {
                n++;
            }
        }
        return n;
    }

    /**
     * The same probes with only the first {@code used} accepted ones kept as accepted (null: all):
     * the rest were drawn but take no part in references, labels, boundaries or the probe distribution.
     */
    public ProbeSet firstAccepted(Integer used) {
        if (used == null || used >= acceptedCount()) {
            return this;
        }
        boolean[] kept = new boolean[accepted.length];
        for (int i = 0, k = 0; i < accepted.length && k < used; i++) {
            if (accepted[i]) {
                kept[i] = true;
                k++;
            }
        }
        return new ProbeSet(latents, dim, embeddings, embDim, kept);
    }

    public float[] latent(int i) {
        float[] out = new float[dim];
        System.arraycopy(latents, i * dim, out, 0, dim);
        return out;
    }

    public float[] embedding(int i) {
        float[] out = new float[embDim];
        System.arraycopy(embeddings, i * embDim, out, 0, embDim);
        return out;
    }

    /** Cosine of two probes' embeddings (both are unit vectors). */
    public float cosine(int i, int j) {
        float s = 0;
        for (int k = 0; k < embDim; k++) {
            s += embeddings[i * embDim + k] * embeddings[j * embDim + k];
        }
        return s;
    }
}
