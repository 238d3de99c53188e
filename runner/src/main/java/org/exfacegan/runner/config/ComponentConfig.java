package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
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

    public ModelOptions modelOptions() {
        return new ModelOptions(runtime, device == null ? "cpu" : device,
                batchSize == null ? ModelOptions.DEFAULT.batchSize() : batchSize,
                threads == null ? 0 : threads);
    }
}
