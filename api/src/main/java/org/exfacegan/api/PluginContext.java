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
 */
public record PluginContext(Path model, Object settings, ModelHost models, ModelOptions options) {
    /** The settings as the provider's own type. */
    public <T> T settings(Class<T> type) {
        return type.cast(settings);
    }
}
