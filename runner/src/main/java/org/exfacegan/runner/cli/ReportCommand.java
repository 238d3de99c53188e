package org.exfacegan.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.exfacegan.runner.config.CompareConfig;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.report.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The comparison report for one finished run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Measure one finished run (re-embedding the images it wrote) and write its report:",
            "report.json and a self-contained report.html (default folder: RUN_FOLDER/report)."})
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    ExfaceganCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a finished run folder")
    Path run;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "report folder (default: RUN_FOLDER/report)")
    Path output;

    @Option(names = "--lookalike-threshold", paramLabel = "COSINE",
            description = "identity centres closer than this cosine are look-alikes (default: ${DEFAULT-VALUE})")
    double lookalike = CompareConfig.DEFAULT_LOOKALIKE;

    @Option(names = "--max-pairs", paramLabel = "N",
            description = "genuine/impostor pairs scored before sampling (default: ${DEFAULT-VALUE})")
    long maxPairs = CompareConfig.DEFAULT_MAX_PAIRS;

    @Override
    public Integer call() {
        Progress progress = parent.global.quiet() ? Progress.QUIET : Progress.console(System.err);
        Path out = output != null ? output : run.resolve("report");
        Comparison.Result r = Comparison.single(run, out, parent.global.loadPlugins(), lookalike, maxPairs, progress);
        CompareCommand.print(spec.commandLine().getOut(), r);
        return Cli.OK;
    }
}
