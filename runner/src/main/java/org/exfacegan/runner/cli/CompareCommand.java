package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.report.Comparison;
import org.exfacegan.runner.report.ReportTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Runs an experiment's variants (backbones, fitters, sampling modes), collects finished runs, and compares them. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run one experiment across several backbones (or fitters, sampling modes) and compare the runs.",
            "Each variant is an ordinary resumable run under OUTPUT/runs/<label>; finished runs can be added.",
            "Writes OUTPUT/compare.json and a self-contained OUTPUT/report.html; prints the comparison table."})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    ExfaceganCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "compare config (JSON; see docs/metrics.md)")
    Path config;

    @Override
    public Integer call() {
        PluginRegistry registry = parent.global.loadPlugins();
        CompareConfigLoader.Resolved c = new CompareConfigLoader(registry).load(config);
        Progress progress = parent.global.quiet() ? Progress.QUIET : Progress.console(System.err);
        Comparison.Result r = Comparison.run(c, registry, progress);
        print(spec.commandLine().getOut(), r);
        return Cli.OK;
    }

    static void print(PrintWriter out, Comparison.Result r) {
        out.println();
        out.print(ReportTable.markdown(r.runs()));
        out.println();
        out.println("results: " + r.json());
        out.println("report:  " + r.report());
        out.flush();
    }
}
