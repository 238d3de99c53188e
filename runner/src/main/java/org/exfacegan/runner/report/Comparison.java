package org.exfacegan.runner.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
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
        ObjectNode header = ConfigLoader.MAPPER.createObjectNode();
        header.put("compare_config", c.file().toString());
        header.set("config", ConfigLoader.MAPPER.valueToTree(c.config()));
        Path report = ReportFiles.write(c.output(), "compare.json", c.config().name(), header, runs, generalization);
        return new Result(runs, generalization, c.output().resolve("compare.json"), report);
    }

    /** The report of one finished run, written into {@code out}. */
    public static Result single(Path runFolder, Path out, PluginRegistry registry, double lookalike, long maxPairs,
                                Progress progress) {
        Path folder = runFolder.toAbsolutePath().normalize();
        RunEvaluation run = new RunMeasurer(registry, lookalike, maxPairs, progress)
                .measure(folder.getFileName().toString(), folder);
        ObjectNode header = ConfigLoader.MAPPER.createObjectNode();
        header.put("run_folder", folder.toString());
        header.put("lookalike_threshold", lookalike);
        header.put("max_pairs", maxPairs);
        Path report = ReportFiles.write(out, "report.json", "exfacegan run report: " + run.label(), header, List.of(run));
        return new Result(List.of(run), null, out.resolve("report.json"), report);
    }
}
