package org.exfacegan.api.runtime;

import java.nio.file.Path;
import java.util.Set;

/**
 * The host's model service handed to plugins. Sessions it returns accept inputs of any batch
 * size: they are split into chunks of {@link ModelOptions#batchSize()} and, for models with a
 * static batch dimension, padded; outputs are returned unpadded, in order.
 */
public interface ModelHost {
    /** Opens {@code model} on the runtime named in options, or the one its file extension selects. */
    default ModelSession open(Path model, ModelOptions options) {
        return open(model, options, Set.of());
    }

    /**
     * Opens {@code model} whose inputs named in {@code unbatchedInputs} have no batch dimension (a
     * StyleGAN3 input transform [3, 3], a noise buffer [1, 1, r, r]): they are given whole to every
     * chunk of a split or padded batch, and do not count when the model's static batch is found.
     */
    ModelSession open(Path model, ModelOptions options, Set<String> unbatchedInputs);
}
