package org.exfacegan.runner.plugin;

import java.util.List;

/**
 * The outcome of loading one plugin: its providers when it loaded, else the error (naming the
 * jar and the reason). A plugin with an error contributes no provider.
 */
public record PluginStatus(PluginSource source, List<LoadedProvider> providers, String error) {
    public PluginStatus {
        providers = List.copyOf(providers);
    }

    public boolean ok() {
        return error == null;
    }
}
