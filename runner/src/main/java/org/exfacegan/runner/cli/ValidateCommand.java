package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Checks a config completely (fields, types, providers, files, provider options) without running it. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment config without running it.")
final class ValidateCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment config (JSON)")
    Path config;

    @Override
    public Integer call() {
        ResolvedConfig rc = new ConfigLoader(global().loadPlugins()).load(config);
        PrintWriter out = out();
        out.println("config OK: " + rc.file());
        describe(out, "backbone", rc.backbone());
        describe(out, "recognizer", rc.recognizer());
        out.println("  output:     " + rc.output());
        out.println("resolved config (preset and defaults applied; provider options as bound):");
        out.println(resolved(rc));
        return Cli.OK;
    }

    /** The config as the run will use it: every default filled in, provider options as their settings bound them. */
    static String resolved(ResolvedConfig rc) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = ConfigLoader.MAPPER.valueToTree(rc.config());
        for (String role : new String[] {"backbone", "recognizer"}) {
            Object settings = role.equals("backbone") ? rc.backbone().settings() : rc.recognizer().settings();
            if (settings != null) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get(role)).set("options", ConfigLoader.MAPPER.valueToTree(settings));
            }
        }
        return ConfigLoader.toJson(tree);
    }

    private static void describe(PrintWriter out, String role, ResolvedComponent c) {
        out.printf("  %-11s %s %s from %s, model %s, device %s%n", role + ":", c.provider().name(),
                c.provider().provider().version(), c.provider().source(), c.model(), c.options().device());
    }
}
