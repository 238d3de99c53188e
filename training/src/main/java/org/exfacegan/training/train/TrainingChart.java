package org.exfacegan.training.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code training.png}: training loss (left axis) and training / held-out accuracy (right axis) per epoch. */
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
        XYSeries held = new XYSeries("held-out verification accuracy");
        for (EpochRecord r : curve) {
            if (r.loss() != null) {
                loss.add(r.epoch(), r.loss());
                train.add(r.epoch(), r.trainAccuracy());
            }
            Double h = r.evaluation().get("holdout_accuracy");
            if (h != null) {
                held.add(r.epoch(), h);
            }
        }
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(new NumberAxis("epoch"));
        plot.setRangeAxis(0, new NumberAxis("loss"));
        NumberAxis accuracy = new NumberAxis("accuracy");
        accuracy.setRange(0, 1.0);
        plot.setRangeAxis(1, accuracy);
        plot.setDataset(0, new XYSeriesCollection(loss));
        plot.setDataset(1, collection(train, held));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(0, renderer(new Color(214, 39, 40)));
        XYLineAndShapeRenderer acc = renderer(new Color(31, 119, 180));
        acc.setSeriesPaint(1, new Color(44, 160, 44));
        plot.setRenderer(1, acc);
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

    private static XYLineAndShapeRenderer renderer(Color first) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, first);
        for (int i = 0; i < 2; i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        return r;
    }
}
