package org.exfacegan.runner.verification;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.layout.RunRecord;

/**
 * What {@code exfacegan evaluate} writes ({@code evaluation.json}): the protocol, the models and
 * benchmarks, the paper-style table and every model x benchmark result.
 *
 * @param table   {@link VerificationTable#summary}'s table: accuracies in %
 * @param results one per model and benchmark
 */
public record EvaluationFile(Protocol protocol, List<Model> models, List<BenchmarkInfo> benchmarks, Table table,
                             List<Result> results, String exfaceganVersion, RunRecord.Jvm jvm) {
    /**
     * The protocol's settings.
     *
     * @param accuracyThresholds the thresholds the accuracy protocol tries, in words
     */
    public record Protocol(String name, int folds, boolean flipFusion, double farTarget, String accuracyThresholds) {}

    /**
     * A model evaluated.
     *
     * @param spec       what the user gave (a config file or a model file)
     * @param recognizer its plugin and model files with their SHA-256
     */
    public record Model(String label, String spec, RunRecord.Component recognizer) {}

    /**
     * A benchmark.
     *
     * @param format    "insightface-bin" or "pairs-list"
     * @param samePairs pairs of the same identity
     */
    public record BenchmarkInfo(String name, String file, String format, boolean aligned, int pairs, int samePairs, int images,
                                String sha256) {}

    /** The table: one row per model, one column per benchmark. */
    public record Table(List<String> columns, List<TableRow> rows) {}

    /** A model's accuracies in %, by benchmark, and their average. */
    public record TableRow(String model, Map<String, Double> accuracyPercent, double averagePercent) {}

    /** One model on one benchmark: the model's label, then the result's fields. */
    public record Result(String model, @JsonUnwrapped BenchmarkResult result) {}
}
