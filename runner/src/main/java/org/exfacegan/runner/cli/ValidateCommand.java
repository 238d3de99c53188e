package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.SizeEstimate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks a config completely (fields, types, providers, files, provider options) without running it. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment config without running it.")
final class ValidateCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment config (JSON)")
    Path config;

    @Option(names = "--no-size-check", description = "accept a config whose estimated disk or heap need exceeds what this "
            + "machine offers (as run --no-size-check does)")
    boolean noSizeCheck;

    @Override
    public Integer call() {
        PluginRegistry registry = global().loadPlugins();
        ResolvedConfig rc = new ConfigLoader(registry).load(config);
        RunFolder.checkUsable(rc.output());
        // the size estimate needs the models' sizes: open both and render one image
        SizeEstimate estimate = Pipeline.estimate(rc, registry);
        estimate.require(rc, !noSizeCheck);
        PrintWriter out = out();
        out.println("config OK: " + rc.file());
        describe(out, "backbone", rc.backbone());
        describe(out, "recognizer", rc.recognizer());
        out.println("  output:     " + rc.output());
        out.println("  needs:      " + estimate.describe() + "; this JVM may use "
                + SizeEstimate.size(Runtime.getRuntime().maxMemory()) + " of heap");
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
                c.provider().version(), c.provider().source(), c.model(), c.options().device());
    }
}
