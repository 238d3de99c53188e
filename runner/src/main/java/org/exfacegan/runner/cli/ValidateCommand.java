package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.SizeEstimate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Checks a config completely without running it: whatever {@code run} (or {@code compare}) would
 * refuse before computing anything is refused here with the same message: fields, providers,
 * files, provider options, the models opened and one image rendered and embedded, the output
 * folder (including an earlier run there of another config), and the sizes.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check an experiment config (or a compare config: each variant as an experiment) without running it."})
final class ValidateCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment config or compare config (JSON)")
    Path config;

    @Option(names = "--no-size-check", description = "accept a config whose estimated disk or heap need exceeds what this "
            + "machine offers (as run --no-size-check does)")
    boolean noSizeCheck;

    @Override
    public Integer call() {
        PluginRegistry registry = global().loadPlugins();
        if (CompareConfigLoader.isCompareConfig(ConfigLoader.readObject(config))) {
            return validateComparison(registry);
        }
        ResolvedConfig rc = new ConfigLoader(registry).load(config);
        Checked checked = check(rc, registry);
        PrintWriter out = out();
        out.println("config OK: " + rc.file());
        describe(out, "  ", rc, checked);
        out.println("resolved config (preset and defaults applied; provider options as bound):");
        out.println(resolved(rc));
        return Cli.OK;
    }

    /** A compare config: the comparison's fields, then every variant as the experiment compare would run. */
    private int validateComparison(PluginRegistry registry) {
        CompareConfigLoader.Resolved c = new CompareConfigLoader(registry).check(config);
        PrintWriter out = out();
        out.println("compare config OK: " + c.file() + " (a comparison: " + c.variants().size() + " variant"
                + (c.variants().size() == 1 ? "" : "s") + " to run, " + c.runs().size() + " finished run"
                + (c.runs().size() == 1 ? "" : "s") + " to collect; run it with exfacegan compare)");
        out.println("  output:     " + c.output());
        for (CompareConfigLoader.Labelled<ResolvedConfig> v : c.variants()) {
            Checked checked = check(v.value(), registry);
            out.println("  variant " + v.label() + ":");
            describe(out, "    ", v.value(), checked);
        }
        for (CompareConfigLoader.Labelled<Path> r : c.runs()) {
            out.println("  finished run " + r.label() + ": " + r.value());
        }
        return Cli.OK;
    }

    private record Checked(SizeEstimate estimate, boolean resumes) {}

    /** What run refuses before computing: the output folder as the run would find it, the models, the sizes. */
    private Checked check(ResolvedConfig rc, PluginRegistry registry) {
        boolean resumes = Pipeline.checkOutput(rc, registry);
        // the size estimate needs the models' sizes: open both and render one image
        SizeEstimate estimate = Pipeline.estimate(rc, registry);
        estimate.require(rc, !noSizeCheck);
        return new Checked(estimate, resumes);
    }

    private static void describe(PrintWriter out, String indent, ResolvedConfig rc, Checked checked) {
        describe(out, indent, "backbone", rc.backbone());
        describe(out, indent, "recognizer", rc.recognizer());
        out.println(indent + "output:     " + rc.output() + (checked.resumes() ? " (holds a run of this config: run resumes it)" : ""));
        out.println(indent + "needs:      " + checked.estimate().describe() + "; this JVM may use "
                + SizeEstimate.size(Runtime.getRuntime().maxMemory()) + " of heap");
    }

    /** The config as the run will use it: every default filled in, provider options as their settings bound them. */
    static String resolved(ResolvedConfig rc) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = Json.MAPPER.valueToTree(rc.config());
        for (String role : new String[] {"backbone", "recognizer"}) {
            Object settings = role.equals("backbone") ? rc.backbone().settings() : rc.recognizer().settings();
            if (settings != null) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get(role)).set("options", Json.MAPPER.valueToTree(settings));
            }
        }
        return Json.pretty(tree);
    }

    private static void describe(PrintWriter out, String indent, String role, ResolvedComponent c) {
        out.printf("%s%-11s %s %s from %s, model %s, device %s%n", indent, role + ":", c.provider().name(),
                c.provider().version(), c.provider().source(), c.model(), c.options().device());
    }
}
