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
        return Cli.OK;
    }

    private static void describe(PrintWriter out, String role, ResolvedComponent c) {
        out.printf("  %-11s %s %s from %s, model %s, device %s%n", role + ":", c.provider().name(),
                c.provider().version(), c.provider().source(), c.model(), c.options().device());
    }
}
