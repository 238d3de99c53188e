package org.exfacegan.runner.cli;

import java.nio.file.Path;
import org.exfacegan.runner.plugin.PluginRegistry;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes. */
public final class GlobalOptions {
    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "plugins folder (default: $EXFACEGAN_PLUGINS, else ./plugins)")
    Path pluginsDir;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "no progress output")
    boolean quiet;

    public Path pluginsDir() {
        if (pluginsDir != null) {
            return pluginsDir;
        }
        String env = System.getenv("EXFACEGAN_PLUGINS");
        return Path.of(env != null && !env.isBlank() ? env : "plugins");
    }

    public boolean quiet() {
        return quiet;
    }

    public PluginRegistry loadPlugins() {
        return PluginRegistry.load(pluginsDir());
    }
}
