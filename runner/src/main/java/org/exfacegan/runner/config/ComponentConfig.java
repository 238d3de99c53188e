package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.BiFunction;
import org.exfacegan.api.runtime.ModelOptions;

/**
 * A backbone or recogniser in a config: the provider by name, its model, where it runs, and
 * the provider's own settings under {@code options} (bound to the provider's settings type).
 *
 * @param type      provider name, e.g. "stylegan2"
 * @param model     model file or descriptor, relative to the config file
 * @param runtime   runtime name; default: chosen by the model file's extension
 * @param device    "cpu" (default) or "cuda:N"
 * @param batchSize images per model call (default 8, ModelOptions.DEFAULT)
 * @param threads   intra-op threads (default 0: the runtime decides)
 * @param options   provider settings
 */
public record ComponentConfig(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) String model,
        String runtime,
        String device,
        Integer batchSize,
        Integer threads,
        JsonNode options) {

    /**
     * Where and how the model runs. A value {@link ModelOptions} refuses is blamed on its own field:
     * each is tried alone with the others at their defaults, and {@code fieldError} gets the field's
     * JSON name and the refusal.
     */
    public ModelOptions modelOptions(BiFunction<String, String, RuntimeException> fieldError) {
        String d = device == null ? "cpu" : device;
        int batch = batchSize == null ? ModelOptions.DEFAULT.batchSize() : batchSize;
        int n = threads == null ? 0 : threads;
        ModelOptions ok = ModelOptions.DEFAULT;
        alone("device", () -> new ModelOptions(null, d, ok.batchSize(), ok.threads()), fieldError);
        alone("batch_size", () -> new ModelOptions(null, ok.device(), batch, ok.threads()), fieldError);
        alone("threads", () -> new ModelOptions(null, ok.device(), ok.batchSize(), n), fieldError);
        return new ModelOptions(runtime, d, batch, n);
    }

    private static void alone(String field, Runnable options, BiFunction<String, String, RuntimeException> fieldError) {
        try {
            options.run();
        } catch (IllegalArgumentException e) {
            throw fieldError.apply(field, e.getMessage());
        }
    }
}
