package org.exfacegan.runner.plugin;

import java.util.List;

/**
 * The outcome of loading one plugin: its providers when it loaded, else the error (naming the
 * jar and the reason). A plugin with an error contributes no provider. A plugin that loaded but
 * is not to be trusted blindly (see {@link PluginPolicy}) carries a warning.
 */
public record PluginStatus(PluginSource source, List<LoadedProvider> providers, String error, String warning) {
    public PluginStatus {
        providers = List.copyOf(providers);
    }

    public PluginStatus(PluginSource source, List<LoadedProvider> providers, String error) {
        this(source, providers, error, null);
    }

    public boolean ok() {
        return error == null;
    }
}
