package org.exfacegan.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.plugin.PluginPolicy;
import org.exfacegan.runner.plugin.PluginRegistry;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** Options every command takes. */
public final class GlobalOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "plugins folder (default: $EXFACEGAN_PLUGINS, else ./plugins)")
    Path pluginsDir;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "no progress output")
    boolean quiet;

    @Option(names = "--strict-plugins", scope = ScopeType.INHERIT,
            description = "refuse plugins someone else could have placed or replaced (owned by another user, "
                    + "writable by everyone, or in a folder everyone may write to); without it they load with a warning")
    boolean strictPlugins;

    @Option(names = "--allow-sha256", paramLabel = "HASH|FILE", scope = ScopeType.INHERIT,
            description = "load only plugin jars with this SHA-256 (repeatable; or a file of hashes, one a line, "
                    + "sha256sum output works); implies --strict-plugins. Listed jars load from a private checked copy")
    List<String> allowSha256 = new ArrayList<>();

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

    public PluginPolicy pluginPolicy() {
        try {
            return PluginPolicy.of(strictPlugins, allowSha256);
        } catch (org.exfacegan.api.ExfaceganException e) {
            throw new picocli.CommandLine.ParameterException(mixee.commandLine(), e.getMessage()); // bad usage: exit 2
        }
    }

    /** Loads the plugins under the policy asked for; warns about untrusted ones on stderr, every time. */
    /** Progress on stderr (bars on a terminal, plain lines otherwise), or none with --quiet. */
    public org.exfacegan.runner.progress.Progress progress() {
        return quiet ? org.exfacegan.runner.progress.Progress.QUIET
                : org.exfacegan.runner.progress.Progress.forStream(System.err, org.exfacegan.runner.progress.Progress.stderrIsTerminal());
    }

    public PluginRegistry loadPlugins() {
        PluginRegistry registry = PluginRegistry.load(pluginsDir(), pluginPolicy());
        for (String w : registry.warnings()) {
            mixee.commandLine().getErr().println("WARNING: " + w);
        }
        return registry;
    }
}
