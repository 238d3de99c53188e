package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.plugin.LoadedProvider;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.plugin.PluginStatus;
import picocli.CommandLine.Command;

/** Lists every provider, built-in or from a plugin, and every plugin that failed to load. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List the backbones, recognisers and runtimes found, with the status of each plugin.")
final class PluginsCommand extends Subcommand {
    @Override
    public Integer call() {
        PluginRegistry registry = global().loadPlugins();
        PrintWriter out = out();
        if (!java.nio.file.Files.isDirectory(global().pluginsDir())) {
            err().println("warning: plugins folder " + global().pluginsDir().toAbsolutePath()
                    + " does not exist; only built-in providers are listed");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "KIND", "VERSION", "API", "JAR", "SHA-256", "STATUS"});
        int failed = 0;
        for (PluginStatus s : registry.statuses()) {
            String jar = s.source().toString();
            String sha = s.source().sha256() == null ? "-" : s.source().sha256();
            if (!s.ok()) {
                failed++;
                rows.add(new String[] {"-", "-", "-", "-", jar, sha, "ERROR: " + s.error()});
                continue;
            }
            for (LoadedProvider p : s.providers()) {
                rows.add(new String[] {p.name(), p.kind().label(), p.version(), p.apiVersion(),
                    jar, sha, s.warning() == null ? "OK" : "OK, UNTRUSTED (see the warning)"});
            }
        }
        Table.print(out, rows);
        out.printf("%nplugins folder: %s (%d plugin%s, %d failed)%n", global().pluginsDir().toAbsolutePath(),
                registry.statuses().size() - 1, registry.statuses().size() == 2 ? "" : "s", failed);
        return Cli.OK;
    }
}
