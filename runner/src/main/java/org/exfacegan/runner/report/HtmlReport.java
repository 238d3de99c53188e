package org.exfacegan.runner.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.CompareLayout;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.generalization.GeneralizationTable;

/**
 * A self-contained {@code report.html}: every chart and contact sheet is inlined as a data URI,
 * no script, style sheet or font is fetched, so the file opens anywhere without a network. The
 * charts are also left as PNG files under {@code charts/} beside it.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Draws the charts, writes them and report.html into {@code dir}; returns the report's path. */
    public static Path write(Path dir, String title, List<RunEvaluation> runs) {
        return write(dir, title, runs, null);
    }

    /** As {@link #write(Path, String, List)}, led by the generalization section when {@code generalization} is not null. */
    public static Path write(Path dir, String title, List<RunEvaluation> runs, GeneralizationTable generalization) {
        Map<String, byte[]> charts = charts(runs);
        if (generalization != null) {
            charts.putAll(GeneralizationReport.charts(generalization));
        }
        try {
            Path chartDir = Files.createDirectories(dir.resolve(CompareLayout.CHARTS));
            for (var e : charts.entrySet()) {
                Files.write(chartDir.resolve(e.getKey() + ".png"), e.getValue());
            }
            Path html = dir.resolve(CompareLayout.REPORT_HTML);
            Files.writeString(html, html(title, runs, charts, generalization));
            return html;
        } catch (IOException e) {
            throw new ExfaceganException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The diversity chart's bars: shares of pairs only (an error rate on this axis would read as more diversity). */
    static final List<String> DIVERSITY_BARS = List.of("intra-identity diversity (1 - mean cosine) \u2191",
            "look-alike identity pairs \u2193");

    static Map<String, byte[]> charts(List<RunEvaluation> runs) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            out.put("histogram-" + i, Charts.histogram(runs.get(i)));
        }
        out.put("det", Charts.det(runs));
        out.put("accuracy", Charts.bars("Boundary accuracy and identity consistency", "accuracy / cosine", runs,
                List.of("held-out accuracy (mean)", "held-out accuracy (min)", "consistency (cosine to reference)"),
                List.of(RunMetrics::boundaryHeldOutMean, RunMetrics::boundaryHeldOutMin, RunMetrics::consistencyMean)));
        out.put("diversity", Charts.bars("Diversity and look-alike identities", "value (0 to 1)", runs,
                DIVERSITY_BARS, List.of(RunMetrics::diversity, RunMetrics::lookalikeRate)));
        return out;
    }

    static String html(String title, List<RunEvaluation> runs, Map<String, byte[]> charts) {
        return html(title, runs, charts, null);
    }

    static String html(String title, List<RunEvaluation> runs, Map<String, byte[]> charts, GeneralizationTable generalization) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}")
                .append("td,th{border:1px solid #bbb;padding:3px 6px;text-align:right}th{background:#eee}")
                .append("td:first-child,th:first-child{text-align:left}img{max-width:100%;border:1px solid #ddd}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0}.wide{overflow-x:auto}.sheet img{max-width:760px}")
                .append("code{font-size:12px}\n</style></head>\n<body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n<p>Generated ").append(ReportSections.readable(Instant.now()))
                .append(" by exfacegan. Metrics are computed from the recogniser's embeddings of the images each run ")
                .append("wrote; definitions and references: <code>docs/metrics.md</code>.</p>\n");

        if (generalization != null) {
            GeneralizationReport.html(b, generalization, charts);
            b.append("<h2>Dataset-side metrics (the labelling recogniser's view of each dataset)</h2>\n");
        } else {
            b.append("<h2>Comparison</h2>\n");
        }
        table(b, "metrics", ReportTable.labels(), ReportTable.rows(runs));
        ReportSections.legend(b, runs);
        outOfDistribution(b, runs);
        ReportSections.samplingGuard(b, runs);
        groundTruth(b, runs);

        b.append("<h2>Score distributions</h2>\n<div class=\"charts\">\n");
        for (int i = 0; i < runs.size(); i++) {
            figure(b, charts.get("histogram-" + i), "genuine and impostor scores of " + runs.get(i).label());
        }
        b.append("</div>\n<h2>Verification errors, accuracy, diversity</h2>\n<div class=\"charts\">\n");
        figure(b, charts.get("det"), "DET curves");
        figure(b, charts.get("accuracy"), "boundary accuracy and identity consistency");
        figure(b, charts.get("diversity"), "diversity and look-alikes");
        b.append("</div>\n<h2>Contact sheets</h2>\n<p>Each row: an identity, labelled with its folder under <code>images/</code>; ")
                .append("the reference crop, then the identity's first samples.</p>\n");
        for (RunEvaluation r : runs) {
            Path sheet = Path.of(r.folder()).resolve(RunLayout.CONTACT_SHEET);
            b.append("<h3>").append(esc(r.label())).append("</h3>\n");
            if (Files.exists(sheet)) {
                b.append("<div class=\"sheet\">");
                figure(b, ReportSections.labelledContactSheet(read(sheet), r), "contact sheet of "
                        + r.label() + "; " + ReportSections.contactSheetCaption(r));
                b.append("<p>").append(esc(ReportSections.contactSheetCaption(r))).append("</p>");
                b.append("</div>\n");
            } else {
                b.append("<p>(this run wrote no contact sheet)</p>\n");
            }
        }
        ReportSections.provenance(b, runs);
        b.append("</body></html>\n");
        return b.toString();
    }

    /** A loud warning for each run whose samples left the probe distribution (column "outside"). */
    private static void outOfDistribution(StringBuilder b, List<RunEvaluation> runs) {
        for (RunEvaluation r : runs) {
            double share = r.metrics().outOfDistributionShare();
            if (share > org.exfacegan.runner.layout.RunSummary.OUT_OF_DISTRIBUTION_WARNING) {
                b.append("<p class=\"warning\" style=\"border:2px solid #c00;padding:6px;color:#900\"><b>Warning:</b> ")
                        .append(esc(r.label())).append(": ").append(ReportTable.f(100 * share, 1))
                        .append("% of the samples lie outside the probe latents' distribution (Mahalanobis distance above ")
                        .append("the probes' 99th percentile; in-distribution sampling gives about 1%). Its faces are likely ")
                        .append("caricatures: read its recogniser metrics with care.</p>\n");
            }
        }
    }

    private static void groundTruth(StringBuilder b, List<RunEvaluation> runs) {
        TreeSet<String> keys = ReportSections.groundTruthKeys(runs);
        if (keys.isEmpty()) {
            return;
        }
        b.append("<h3>Ground truth (demo backbones that know each face's true identity)</h3>\n<table id=\"ground-truth\"><tr><th>run</th>");
        keys.forEach(k -> b.append("<th>").append(esc(ReportSections.groundTruthLabel(k))).append("</th>"));
        b.append("</tr>\n");
        for (RunEvaluation r : runs) {
            b.append("<tr><td>").append(esc(r.label())).append("</td>");
            for (String k : keys) {
                Double v = r.metrics().groundTruth() == null ? null : r.metrics().groundTruth().get(k);
                b.append("<td>").append(v == null ? "n/a" : ReportTable.f(v, 3)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    static void table(StringBuilder b, String id, List<String> headers, List<List<String>> rows) {
        b.append("<div class=\"wide\"><table id=\"").append(id).append("\"><tr>");
        headers.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            row.forEach(c -> b.append("<td>").append(esc(c)).append("</td>"));
            b.append("</tr>\n");
        }
        b.append("</table></div>\n");
    }

    static void figure(StringBuilder b, byte[] png, String alt) {
        b.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></figure>\n");
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
