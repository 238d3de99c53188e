package org.exfacegan.api.runtime;

import java.nio.file.Path;

/**
 * The host's model service handed to plugins. Sessions it returns accept inputs of any batch
 * size: they are split into chunks of {@link ModelOptions#batchSize()} and, for models with a
 * static batch dimension, padded; outputs are returned unpadded, in order.
 */
public interface ModelHost {
    /** Opens {@code model} on the runtime named in options, or the one its file extension selects. */
    ModelSession open(Path model, ModelOptions options);
}
