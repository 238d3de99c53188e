package org.exfacegan.runner.generalization;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.report.ReportTable;
import org.exfacegan.runner.verification.AccuracyFigures;

/**
 * What a recogniser trained on each dataset reaches on the benchmarks (insightface's 10-fold
 * accuracy, as the paper's tables), beside the untrained network it started from and the accuracy
 * on held-out identities of its own dataset (which shares the dataset's labelling, so it is no
 * verdict). Markdown for the console, JSON for compare.json.
 *
 * @param benchmarks benchmark names, the table's columns
 * @param untrained  the untrained network's figures (the same network for every dataset)
 * @param rows       one per dataset, in the comparison's order
 */
public record GeneralizationTable(List<String> benchmarks, Map<String, AccuracyFigures> untrained, List<Row> rows) {
    static final String UNTRAINED = "untrained network";

    /**
     * @param label   the dataset
     * @param trained the figures after the last epoch, per evaluation set
     * @param curve   per epoch (0: untrained), the figures per evaluation set
     * @param output  the training's folder
     */
    public record Row(String label, Map<String, AccuracyFigures> trained, List<Map<String, AccuracyFigures>> curve, Path output) {
        /** Mean over the benchmarks of the accuracy (0-1). */
        public double average(List<String> benchmarks) {
            return GeneralizationTable.average(trained, benchmarks);
        }
    }

    public GeneralizationTable {
        benchmarks = List.copyOf(benchmarks);
        rows = List.copyOf(rows);
    }

    static double average(Map<String, AccuracyFigures> figures, List<String> benchmarks) {
        return benchmarks.stream().mapToDouble(b -> figures.get(b).accuracy()).average().orElse(Double.NaN);
    }

    /** The summary's columns: the benchmarks, their average, and the own held-out accuracy last. */
    public List<String> headers() {
        List<String> head = new ArrayList<>(List.of("recogniser trained on"));
        head.addAll(benchmarks);
        head.add("average");
        head.add("own held-out ids");
        return head;
    }

    /** Benchmark accuracy in %, one row per dataset, then the untrained network. */
    public List<List<String>> cells() {
        List<List<String>> body = new ArrayList<>();
        for (Row r : rows) {
            body.add(cells(r.label(), r.trained()));
        }
        body.add(cells(UNTRAINED, untrained));
        return body;
    }

    public String markdown() {
        return ReportTable.markdown(headers(), cells());
    }

    public List<String> detailHeaders() {
        return List.of("recogniser trained on", "benchmark", "accuracy % ± std", "EER", "untrained: accuracy %", "untrained: EER");
    }

    /** Every dataset x benchmark: accuracy +- std and EER, trained and untrained. */
    public List<List<String>> detailCells() {
        List<List<String>> body = new ArrayList<>();
        for (Row r : rows) {
            for (String b : benchmarks) {
                AccuracyFigures t = r.trained().get(b);
                AccuracyFigures u = untrained.get(b);
                body.add(List.of(r.label(), b, percent(t.accuracy()) + " ± " + percent(t.accuracyStd()), f(t.eer(), 4),
                        percent(u.accuracy()), f(u.eer(), 4)));
            }
        }
        return body;
    }

    public String detailsMarkdown() {
        return ReportTable.markdown(detailHeaders(), detailCells());
    }

    private List<String> cells(String label, Map<String, AccuracyFigures> figures) {
        List<String> cells = new ArrayList<>(List.of(label));
        benchmarks.forEach(b -> cells.add(percent(figures.get(b).accuracy())));
        cells.add(percent(average(figures, benchmarks)));
        AccuracyFigures own = figures.get(TrainedRecognizer.HOLDOUT);
        cells.add(own == null || label.equals(UNTRAINED) ? "n/a" : percent(own.accuracy()));
        return cells;
    }

    /**
     * compare.json's "generalization": the benchmarks, the untrained network's figures, and per dataset its training
     * folder, final figures, average and the whole curve.
     */
    public ObjectNode json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("benchmarks", Json.MAPPER.valueToTree(benchmarks));
        root.put("protocol", "insightface verification: flip-fused embeddings, 10-fold accuracy (threshold chosen on the other "
                + "nine folds), EER over all pairs");
        ObjectNode u = root.putObject("untrained");
        u.set("figures", Json.MAPPER.valueToTree(untrained));
        u.put("average_accuracy", average(untrained, benchmarks));
        ArrayNode out = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = out.addObject();
            o.put("label", r.label());
            o.put("training", r.output().toString());
            o.set("figures", Json.MAPPER.valueToTree(r.trained()));
            o.put("average_accuracy", r.average(benchmarks));
            o.set("curve", Json.MAPPER.valueToTree(r.curve()));
        }
        return root;
    }

    private static String percent(double v) {
        return f(100 * v, 2);
    }

    private static String f(double v, int decimals) {
        return ReportTable.f(v, decimals);
    }
}
