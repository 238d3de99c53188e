package org.exfacegan.api.runtime;

import java.nio.file.Path;
import java.util.Set;
import org.exfacegan.api.Provider;

/**
 * A model runtime hosted by the runner (ONNX Runtime, DJL PyTorch). Plugins never use one
 * directly: they call {@link ModelHost}. Construction is cheap; native libraries load on the
 * first {@link #open}.
 */
public interface ModelRuntimeProvider extends Provider {
    /** File name endings this runtime opens by default, e.g. ".onnx". */
    Set<String> fileExtensions();

    /**
     * Opens one model for single calls of at most the model's own batch size (no splitting).
     * Throws ExfaceganException naming the file for a missing or corrupt model, and for a device
     * that is not available (with what is missing).
     */
    ModelSession open(Path model, ModelOptions options);
}
