package org.exfacegan.runner.layout;

/**
 * The names of a comparison's folder ({@code exfacegan compare}) and of a report's ({@code exfacegan
 * report}): each variant's config and run folder, the machine-readable results, report.html.
 */
public final class CompareLayout {
    /** Marks the folder as a comparison's ({@link org.exfacegan.runner.io.FolderMarker}). */
    public static final String MARKER = ".exfacegan-compare";
    /** One experiment config per variant. */
    public static final String CONFIGS = "configs";
    /** One run folder per variant. */
    public static final String RUNS = "runs";
    /** A comparison's results ({@code report.ReportFile}). */
    public static final String COMPARE_JSON = "compare.json";
    /** One run's report results ({@code report.ReportFile}). */
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_HTML = "report.html";
    /** The report's charts, as PNG files. */
    public static final String CHARTS = "charts";

    private CompareLayout() {}

    /** A variant's experiment config. */
    public static String config(String label) {
        return CONFIGS + "/" + label + ".json";
    }

    /** A variant's run folder. */
    public static String run(String label) {
        return RUNS + "/" + label;
    }
}
