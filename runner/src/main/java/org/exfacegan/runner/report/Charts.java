package org.exfacegan.runner.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn by JFreeChart off-screen and returned as PNG bytes. */
public final class Charts {
    static final int WIDTH = 600;
    static final int HEIGHT = 380;
    private static final int BINS = 60;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are files; no display is needed or wanted
        }
    }

    private Charts() {}

    /** Genuine and impostor score densities of one run, on the cosine axis [-1, 1]. */
    public static byte[] histogram(RunEvaluation run) {
        HistogramDataset ds = new HistogramDataset();
        ds.setType(HistogramType.SCALE_AREA_TO_1);
        addSeries(ds, "genuine", run.scores().genuine());
        addSeries(ds, "impostor", run.scores().impostor());
        JFreeChart chart = ChartFactory.createHistogram("Genuine and impostor scores: " + run.label(), "cosine similarity",
                "density", ds, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(31, 119, 180, 160));
        r.setSeriesPaint(1, new Color(214, 39, 40, 160));
        return png(chart);
    }

    private static void addSeries(HistogramDataset ds, String name, double[] scores) {
        if (scores.length > 0) { // e.g. no genuine pairs with one image per identity
            ds.addSeries(name + " (" + scores.length + " pairs)", scores, BINS, -1, 1);
        }
    }

    /**
     * Decision error trade-off curves of all runs: FNMR against FMR on log axes. An axis reaches down
     * to the smallest non-zero rate the pair counts can measure (1 / the largest number of impostor
     * pairs for FMR, of genuine pairs for FNMR), never below: a rate of 0 cannot be drawn on a log
     * axis, and such points are left out rather than placed at a rate no run measured.
     */
    public static byte[] det(List<RunEvaluation> runs) {
        double[] floors = detFloors(runs);
        XYSeriesCollection ds = detSeries(runs);
        JFreeChart chart = ChartFactory.createXYLineChart("DET curves", "false match rate (FMR)",
                "false non-match rate (FNMR)", ds, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(logAxis("false match rate (FMR), from 1 / impostor pairs", floors[0]));
        plot.setRangeAxis(logAxis("false non-match rate (FNMR), from 1 / genuine pairs", floors[1]));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < runs.size(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        return png(chart);
    }

    /** The DET points of every run with a curve, rates of 0 left out (see {@link #det}). */
    static XYSeriesCollection detSeries(List<RunEvaluation> runs) {
        XYSeriesCollection ds = new XYSeriesCollection();
        for (RunEvaluation run : runs) {
            if (run.rates() == null) {
                continue; // no genuine or no impostor pairs: no curve
            }
            double[][] det = run.rates().det();
            XYSeries s = new XYSeries(run.label() + " (" + run.scores().impostor().length + " impostor, "
                    + run.scores().genuine().length + " genuine pairs)", false, true);
            int step = Math.max(1, det[0].length / 2000);
            for (int k = 0; k < det[0].length; k += step) {
                if (det[0][k] > 0 && det[1][k] > 0) {
                    s.add(det[0][k], det[1][k]);
                }
            }
            ds.addSeries(s);
        }
        return ds;
    }

    /**
     * The lower ends of the DET axes, {FMR, FNMR}: 1 / the most impostor (genuine) pairs of any run
     * with a curve, the smallest non-zero rate measured; 1e-3 when no run has a curve.
     */
    static double[] detFloors(List<RunEvaluation> runs) {
        long impostors = 0;
        long genuines = 0;
        for (RunEvaluation run : runs) {
            if (run.rates() != null) {
                impostors = Math.max(impostors, run.scores().impostor().length);
                genuines = Math.max(genuines, run.scores().genuine().length);
            }
        }
        // a log axis needs a range: with a single pair (rates 0 or 1 only) it still spans one decade
        return new double[] {impostors == 0 ? 1e-3 : Math.min(0.1, 1.0 / impostors),
            genuines == 0 ? 1e-3 : Math.min(0.1, 1.0 / genuines)};
    }

    private static LogAxis logAxis(String label, double floor) {
        LogAxis axis = new LogAxis(label);
        axis.setSmallestValue(floor);
        axis.setRange(floor, 1.0);
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(1)); // one tick per decade (the unit is log10 of the rate)
        axis.setLowerMargin(0);
        axis.setUpperMargin(0);
        axis.setNumberFormatOverride(new DecimalFormat("0.######"));
        return axis;
    }

    /** Grouped bars: one group per run, one bar per named value. */
    public static byte[] bars(String title, String valueLabel, List<RunEvaluation> runs, List<String> names,
                              List<java.util.function.ToDoubleFunction<RunMetrics>> values) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (RunEvaluation run : runs) {
            for (int i = 0; i < names.size(); i++) {
                double v = values.get(i).applyAsDouble(run.metrics());
                ds.addValue(Double.isFinite(v) ? v : 0, names.get(i), run.label());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "run", valueLabel, ds, PlotOrientation.VERTICAL, true,
                false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        return png(chart);
    }

    static byte[] png(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (plot instanceof CategoryPlot cp) {
            cp.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
