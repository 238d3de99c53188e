package org.exfacegan.runner.report;

import java.awt.BasicStroke;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.generalization.GeneralizationTable;
import org.exfacegan.runner.verification.AccuracyFigures;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The section that leads a comparison's report when it trained recognisers: what a recogniser
 * trained on each dataset reaches on benchmarks of faces none of them holds, the untrained
 * network for scale, a bar chart and the benchmark accuracy per epoch, and the plain statement
 * that the dataset-side metrics below are not the verdict.
 */
final class GeneralizationReport {
    static final String VERDICT = "The verdict on each dataset is the accuracy of a face recogniser trained on it, on benchmarks "
            + "of identities it never saw (this table). The dataset-side metrics further down (EER, consistency, look-alikes: "
            + "the labelling recogniser's view of its own data) are not the verdict: a dataset can score well on them while "
            + "a recogniser trained on it learns nothing that transfers.";

    private GeneralizationReport() {}

    static Map<String, byte[]> charts(GeneralizationTable t) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("generalization", bars(t));
        out.put("generalization-curve", curve(t));
        return out;
    }

    /** Benchmark accuracy (%) per dataset, one bar per benchmark and the average, the untrained network last. */
    private static byte[] bars(GeneralizationTable t) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (GeneralizationTable.Row r : t.rows()) {
            add(ds, t, r.label(), r.trained());
        }
        add(ds, t, "untrained network", t.untrained());
        JFreeChart chart = ChartFactory.createBarChart("Verification accuracy of a recogniser trained on each dataset",
                "recogniser trained on", "accuracy %", ds, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        ((NumberAxis) plot.getRangeAxis()).setRange(40, 100);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        return Charts.png(chart);
    }

    private static void add(DefaultCategoryDataset ds, GeneralizationTable t, String label, Map<String, AccuracyFigures> f) {
        for (String b : t.benchmarks()) {
            ds.addValue(100 * f.get(b).accuracy(), b, label);
        }
        if (t.benchmarks().size() > 1) {
            ds.addValue(100 * t.benchmarks().stream().mapToDouble(b -> f.get(b).accuracy()).average().orElse(Double.NaN),
                    "average", label);
        }
    }

    /** Mean benchmark accuracy (%) after every epoch, one line per dataset (epoch 0: the untrained network). */
    private static byte[] curve(GeneralizationTable t) {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (GeneralizationTable.Row r : t.rows()) {
            XYSeries s = new XYSeries(r.label());
            List<Map<String, AccuracyFigures>> curve = r.curve();
            for (int epoch = 0; epoch < curve.size(); epoch++) {
                Map<String, AccuracyFigures> f = curve.get(epoch);
                s.add(epoch, 100 * t.benchmarks().stream().mapToDouble(b -> f.get(b).accuracy()).average().orElse(Double.NaN));
            }
            ds.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Benchmark accuracy during training" + (t.benchmarks().size() > 1
                ? " (mean over benchmarks)" : ""), "epoch", "accuracy %", ds, PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < t.rows().size(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        chart.getXYPlot().setRenderer(r);
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return Charts.png(chart);
    }

    /** The leading section of report.html. */
    static void html(StringBuilder b, GeneralizationTable t, Map<String, byte[]> charts) {
        b.append("<h2>Generalization: a recogniser trained on each dataset, on benchmarks</h2>\n<p class=\"verdict\"><b>")
                .append(HtmlReport.esc(VERDICT)).append("</b></p>\n");
        b.append("<p>Each dataset trained the same network with the same settings, budget and seed (its training folder is ")
                .append("listed below); accuracy is insightface's 10-fold verification accuracy in %, as in the paper's tables. ")
                .append("\"own held-out ids\" is the accuracy on identities held out of the dataset itself: it shares the ")
                .append("dataset's labelling and is no verdict either.</p>\n");
        HtmlReport.table(b, "generalization", t.headers(), t.cells());
        b.append("<div class=\"charts\">\n");
        HtmlReport.figure(b, charts.get("generalization"), "benchmark accuracy per dataset");
        HtmlReport.figure(b, charts.get("generalization-curve"), "benchmark accuracy per epoch");
        b.append("</div>\n<details><summary>Details: accuracy ± std and EER per benchmark, training folders</summary>\n");
        HtmlReport.table(b, "generalization-details", t.detailHeaders(), t.detailCells());
        b.append("<ul>\n");
        t.rows().forEach(r -> b.append("<li>").append(HtmlReport.esc(r.label())).append(": <code>")
                .append(HtmlReport.esc(r.output().toString())).append("</code></li>\n"));
        b.append("</ul></details>\n");
    }
}
