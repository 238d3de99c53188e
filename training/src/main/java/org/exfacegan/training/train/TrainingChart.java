package org.exfacegan.training.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.exfacegan.training.eval.HeldOutPairs;

/**
 * {@code training.png}: training loss (left axis), training accuracy and the verification accuracy of
 * every evaluation set (held-out identities, benchmarks; right axis) per epoch.
 */
final class TrainingChart {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // a file, no display
        }
    }

    private TrainingChart() {}

    static byte[] png(String title, List<EpochRecord> curve) {
        XYSeries loss = new XYSeries("training loss");
        XYSeries train = new XYSeries("training accuracy");
        Map<String, XYSeries> sets = new LinkedHashMap<>();
        for (EpochRecord r : curve) {
            if (r.loss() != null) {
                loss.add(r.epoch(), r.loss());
                train.add(r.epoch(), r.trainAccuracy());
            }
            r.evaluation().forEach((set, f) -> sets.computeIfAbsent(set, s -> new XYSeries(label(s)))
                    .add(r.epoch(), f.accuracy()));
        }
        XYSeries[] accuracies = new XYSeries[1 + sets.size()];
        accuracies[0] = train;
        int i = 1;
        for (XYSeries s : sets.values()) {
            accuracies[i++] = s;
        }
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(new NumberAxis("epoch"));
        plot.setRangeAxis(0, new NumberAxis("loss"));
        NumberAxis accuracy = new NumberAxis("accuracy");
        accuracy.setRange(0, 1.0);
        plot.setRangeAxis(1, accuracy);
        plot.setDataset(0, new XYSeriesCollection(loss));
        plot.setDataset(1, collection(accuracies));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(0, renderer(1, LOSS));
        plot.setRenderer(1, renderer(accuracies.length, ACCURACY));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Training: " + title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, 700, 420);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static XYSeriesCollection collection(XYSeries... series) {
        XYSeriesCollection c = new XYSeriesCollection();
        for (XYSeries s : series) {
            c.addSeries(s);
        }
        return c;
    }

    /** Colours of the accuracy series: training, then the evaluation sets in order (cycled). */
    private static final Color[] ACCURACY = {new Color(31, 119, 180), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)};
    private static final Color[] LOSS = {new Color(214, 39, 40)};

    private static String label(String set) {
        return set.equals(HeldOutPairs.NAME) ? "held-out identities (verification)" : set + " (verification)";
    }

    private static XYLineAndShapeRenderer renderer(int series, Color[] colours) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series; i++) {
            r.setSeriesPaint(i, colours[i % colours.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        return r;
    }
}
