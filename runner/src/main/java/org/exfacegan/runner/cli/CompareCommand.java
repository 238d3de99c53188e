package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.report.Comparison;
import org.exfacegan.runner.report.ReportTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs an experiment's variants (backbones, fitters, sampling modes), collects finished runs, and compares them. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run one experiment across several backbones (or fitters, sampling modes) and compare the runs.",
            "Each variant is an ordinary resumable run under OUTPUT/runs/<label>; finished runs can be added.",
            "Writes OUTPUT/compare.json and a self-contained OUTPUT/report.html; prints the comparison table."})
final class CompareCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "compare config (JSON; see docs/metrics.md)")
    Path config;

    @Override
    public Integer call() {
        PluginRegistry registry = global().loadPlugins();
        CompareConfigLoader.Resolved c = new CompareConfigLoader(registry).load(config);
        Progress progress = global().progress();
        Comparison.Result r = Comparison.run(c, registry, progress);
        print(out(), r);
        return Cli.OK;
    }

    static void print(PrintWriter out, Comparison.Result r) {
        out.println();
        if (r.generalization() != null) {
            out.println("Generalization: verification accuracy (%) of a recogniser trained on each dataset (the verdict):");
            out.println();
            out.print(r.generalization().markdown());
            out.println();
            out.println("Dataset-side metrics (the labelling recogniser's view; not the verdict):");
            out.println();
        }
        out.print(ReportTable.markdown(r.runs()));
        out.println();
        out.println("results: " + r.json());
        out.println("report:  " + r.report());
        out.flush();
    }
}
