package org.exfacegan.api.backbone;

import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * An open GAN. All tensors carry a leading batch dimension. The pipeline works with flattened
 * latents of the fit space ({@link LatentLayout#fitSpace()}), shape [n, fitDim].
 */
public interface Backbone extends AutoCloseable {
    LatentLayout layout();

    /**
     * z ~ N(0, I) for samples firstIndex .. firstIndex+count-1 of the stream named by seed. Each
     * sample depends only on (seed, index), so any batching gives the same values. Shape [count, zShape...].
     */
    FloatTensor sampleZ(long seed, long firstIndex, int count);

    /** z -> w before truncation, shape [n, wShape...]. */
    FloatTensor map(FloatTensor z);

    /**
     * w ([n, wShape...]) or w+ (the synthesis input: [n, numWs, w_dim], or [n, components, numWs, w_dim]
     * for component latents) -> truncated w+ with the configured psi and cutoff.
     */
    FloatTensor truncate(FloatTensor w);

    /** w+ -> images. */
    ImageBatch synthesize(FloatTensor wPlus);

    /** The fit-space latents of samples given z and their w, flattened to [n, fitDim]. */
    FloatTensor fitLatents(FloatTensor z, FloatTensor w);

    /** Fit-space latents [n, fitDim] -> images (through mapping when the fit space is z, then truncation). */
    ImageBatch render(FloatTensor fitLatents);

    /** True when the model can report true identity factors (demo worlds); only evaluation reads them. */
    default boolean hasGroundTruth() {
        return false;
    }

    /** True identity factors of fit-space latents, [n, factors]; only when {@link #hasGroundTruth()}. */
    default FloatTensor groundTruth(FloatTensor fitLatents) {
        throw new UnsupportedOperationException("this backbone model has no ground-truth output");
    }

    /** True when the model can report true nuisance factors (pose, light, expression: demo worlds); only evaluation reads them. */
    default boolean hasNuisance() {
        return false;
    }

    /** True nuisance factors of fit-space latents, [n, factors]; only when {@link #hasNuisance()}. */
    default FloatTensor nuisance(FloatTensor fitLatents) {
        throw new UnsupportedOperationException("this backbone model has no nuisance ground-truth output");
    }

    @Override
    void close();
}
