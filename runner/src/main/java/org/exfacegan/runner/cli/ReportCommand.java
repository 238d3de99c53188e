package org.exfacegan.runner.cli;

import java.nio.file.Path;
import org.exfacegan.runner.config.CompareConfig;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.report.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The comparison report for one finished run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Measure one finished run (re-embedding the images it wrote) and write its report:",
            "report.json and a self-contained report.html (default folder: RUN_FOLDER/report)."})
final class ReportCommand extends Subcommand {
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
        Progress progress = global().progress();
        Path out = output != null ? output : run.resolve("report");
        Comparison.Result r = Comparison.single(run, out, global().loadPlugins(), lookalike, maxPairs, progress);
        CompareCommand.print(out(), r);
        return Cli.OK;
    }
}
