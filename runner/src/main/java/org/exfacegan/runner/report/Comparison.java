package org.exfacegan.runner.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.layout.CompareLayout;
import org.exfacegan.runner.generalization.Generalization;
import org.exfacegan.runner.generalization.GeneralizationTable;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;

/**
 * Runs (or resumes) every variant of a comparison as an ordinary run under {@code <output>/runs/},
 * measures them and the collected finished runs, trains a recogniser on each when the config asks
 * ({@link Generalization}), and writes compare.json and report.html.
 */
public final class Comparison {
    /**
     * @param runs           every run measured, variants first, in config order
     * @param generalization what a recogniser trained on each run reaches on the benchmarks (null: not asked for)
     * @param json           compare.json
     * @param report         report.html
     */
    public record Result(List<RunEvaluation> runs, GeneralizationTable generalization, Path json, Path report) {}

    private Comparison() {}

    public static Result run(CompareConfigLoader.Resolved c, PluginRegistry registry, Progress progress) {
        List<CompareConfigLoader.Labelled<Path>> folders = new ArrayList<>();
        for (CompareConfigLoader.Labelled<ResolvedConfig> v : c.variants()) {
            progress.info("variant " + v.label() + ": " + v.value().output());
            new Pipeline(v.value(), registry, progress).run();
            folders.add(new CompareConfigLoader.Labelled<>(v.label(), v.value().output()));
        }
        folders.addAll(c.runs());
        RunMeasurer measurer = new RunMeasurer(registry, c.config().lookalikeThreshold(), c.config().maxPairs(), progress);
        List<RunEvaluation> runs = new ArrayList<>();
        for (CompareConfigLoader.Labelled<Path> f : folders) {
            runs.add(measurer.measure(f.label(), f.value()));
        }
        GeneralizationTable generalization = c.generalization() == null ? null
                : Generalization.run(c.generalization(), progress);
        Path report = ReportFiles.write(c.output(), CompareLayout.COMPARE_JSON,
                ReportFile.comparison(c.file().toString(), c.config(), runs, generalization), generalization);
        return new Result(runs, generalization, c.output().resolve(CompareLayout.COMPARE_JSON), report);
    }

    /** The report of one finished run, written into {@code out}. */
    public static Result single(Path runFolder, Path out, PluginRegistry registry, double lookalike, long maxPairs,
                                Progress progress) {
        Path folder = runFolder.toAbsolutePath().normalize();
        RunEvaluation run = new RunMeasurer(registry, lookalike, maxPairs, progress)
                .measure(folder.getFileName().toString(), folder);
        Path report = ReportFiles.write(out, CompareLayout.REPORT_JSON, ReportFile.run(folder.toString(), lookalike, maxPairs,
                "exfacegan run report: " + run.label(), run), null);
        return new Result(List.of(run), null, out.resolve(CompareLayout.REPORT_JSON), report);
    }
}
