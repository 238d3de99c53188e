package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunCheck;
import org.exfacegan.runner.run.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Verifies a run folder against the checksums recorded when its files were written; optionally repairs it. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verify every file of a run against the SHA-256 recorded when it was written.",
            "Exit code 0: intact and complete; 1: something is missing, damaged or not finished (listed).",
            "With --repair, damaged or missing parts are computed again from the run's config (identical bytes)."})
final class CheckCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "RUN_FOLDER", description = "a run's output folder")
    Path run;

    @Option(names = "--repair", description = "write what is missing or damaged again, with the run's own config (run.json names it)")
    boolean repair;

    @Override
    public Integer call() {
        PrintWriter out = out();
        long t0 = System.nanoTime();
        RunCheck.Report r = RunCheck.check(run, global().progress());
        print(out, r, (System.nanoTime() - t0) / 1e9);
        if (r.intact() || !repair) {
            if (!r.intact()) {
                out.println("repair it with: exfacegan check --repair " + r.folder() + "  (or run its config again)");
            }
            return r.intact() ? Cli.OK : Cli.RUN_FAILURE;
        }
        Path config = r.config();
        if (!Files.isRegularFile(config)) {
            throw new ExfaceganException("cannot repair " + r.folder() + ": the config it was made with, " + config
                    + ", is gone; run 'exfacegan run' with that config (restored) to repair it");
        }
        PluginRegistry registry = global().loadPlugins();
        ResolvedConfig rc = new ConfigLoader(registry).load(config);
        if (!rc.output().equals(r.folder())) {
            throw new ExfaceganException("cannot repair " + r.folder() + ": its config " + config + " now writes to "
                    + rc.output() + "; run that config with its output set back to " + r.folder());
        }
        Pipeline pipeline = new Pipeline(rc, registry, global().progress(), new RunOptions(false, true, notices()));
        pipeline.run();
        RunCheck.Report after = RunCheck.check(run, global().progress());
        out.println();
        out.println("after repair (" + pipeline.repaired().size() + " part(s) written again):");
        print(out, after, Double.NaN);
        return after.intact() ? Cli.OK : Cli.RUN_FAILURE;
    }

    private static void print(PrintWriter out, RunCheck.Report r, double seconds) {
        out.printf(Locale.ROOT, "run %s: %d files verified%s%n", r.folder(), r.files(),
                Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, " in %.1f s", seconds));
        List<String[]> rows = new ArrayList<>();
        for (String[] s : r.sections()) {
            rows.add(new String[] {"  " + s[0], s[1]});
        }
        Table.print(out, rows);
        out.println(r.intact() ? "intact" : !r.problems().isEmpty() ? r.problems().size() + " problem(s)" : "not finished");
        out.flush();
    }

}
