package org.exfacegan.api;

import java.nio.file.Path;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;

/**
 * What the host hands a provider when it opens a backbone or recogniser.
 *
 * @param model    the model file or descriptor named in the config (absolute)
 * @param settings the provider's settings, an instance of {@link Provider#settingsType()} (null for Void)
 * @param models   the host's model runtimes
 * @param options  runtime, device, batch size and threads from the config
 * @param json     the host's strict JSON binding for the plugin's own files
 */
public record PluginContext(Path model, Object settings, ModelHost models, ModelOptions options, JsonReader json) {
    /** The settings as the provider's own type. */
    public <T> T settings(Class<T> type) {
        return type.cast(settings);
    }

    /** Reads a JSON file of the plugin (a model descriptor) into its own record; see {@link JsonReader}. */
    public <T> T readJson(Path file, Class<T> type, String description) {
        return json.read(file, type, description);
    }
}
