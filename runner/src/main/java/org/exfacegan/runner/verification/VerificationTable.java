package org.exfacegan.runner.verification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.report.ReportTable;

/**
 * Models x benchmarks, as the paper's tables: one row per model, one column per benchmark
 * (verification accuracy in %, the mean over the folds) and their average; then the details
 * (accuracy +- std, TAR at FAR 1e-3, EER, faces not found). Markdown for the console, JSON for files.
 */
public final class VerificationTable {
    /** A model's results, one per benchmark, in the benchmarks' order. */
    public record Row(String model, List<BenchmarkResult> results) {
        public Row {
            results = List.copyOf(results);
        }

        /** Mean over the benchmarks of the accuracy (0-1). */
        public double averageAccuracy() {
            return results.stream().mapToDouble(r -> r.verification().accuracyMean()).average().orElse(Double.NaN);
        }
    }

    private VerificationTable() {}

    /** The paper-style table: model | one column per benchmark | average; accuracies in %. */
    public static String summary(List<Row> rows) {
        List<String> head = new ArrayList<>(List.of("model"));
        rows.get(0).results().forEach(r -> head.add(r.benchmark()));
        head.add("average");
        List<List<String>> body = new ArrayList<>();
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.model()));
            row.results().forEach(r -> cells.add(percent(r.verification().accuracyMean())));
            cells.add(percent(row.averageAccuracy()));
            body.add(cells);
        }
        return ReportTable.markdown(head, body);
    }

    /** Every model x benchmark with the protocol's other figures. */
    public static String details(List<Row> rows) {
        List<String> head = List.of("model", "benchmark", "pairs (same/diff)", "accuracy % ± std", "TAR@FAR=1e-3", "EER",
                "no face (images)");
        List<List<String>> body = new ArrayList<>();
        for (Row row : rows) {
            for (BenchmarkResult r : row.results()) {
                VerificationResult v = r.verification();
                body.add(List.of(row.model(), r.benchmark(), v.pairs() + " (" + v.genuinePairs() + "/" + v.impostorPairs() + ")",
                        percent(v.accuracyMean()) + " ± " + percent(v.accuracyStd()),
                        f(v.tar(), 4) + (v.farResolved() ? "" : " *"), f(v.eer(), 4), Integer.toString(r.noFaceImages())));
            }
        }
        return ReportTable.markdown(head, body);
    }

    /** Whether any benchmark had too few impostor pairs to resolve FAR 1e-3 (the details table marks them *). */
    public static boolean anyUnresolvedFar(List<Row> rows) {
        return rows.stream().flatMap(r -> r.results().stream()).anyMatch(r -> !r.verification().farResolved());
    }

    /** The table as JSON: {"columns": [...], "rows": [{"model", "accuracy": {benchmark: %}, "average": %}]}. */
    public static ObjectNode json(List<Row> rows) {
        ObjectNode t = ConfigLoader.MAPPER.createObjectNode();
        ArrayNode cols = t.putArray("columns");
        rows.get(0).results().forEach(r -> cols.add(r.benchmark()));
        ArrayNode out = t.putArray("rows");
        for (Row row : rows) {
            ObjectNode o = out.addObject().put("model", row.model());
            ObjectNode acc = o.putObject("accuracy_percent");
            row.results().forEach(r -> acc.put(r.benchmark(), 100 * r.verification().accuracyMean()));
            o.put("average_percent", 100 * row.averageAccuracy());
        }
        return t;
    }

    private static String percent(double v) {
        return f(100 * v, 2);
    }

    private static String f(double v, int decimals) {
        return ReportTable.f(v, decimals);
    }
}
