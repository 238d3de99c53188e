package org.exfacegan.runner.report;

import java.nio.file.Path;
import org.exfacegan.runner.generalization.GeneralizationTable;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.CompareLayout;

/** Writes the machine-readable results ({@code compare.json} / {@code report.json}) and report.html side by side. */
public final class ReportFiles {
    private ReportFiles() {}

    /**
     * @param dir      output folder
     * @param jsonName {@link CompareLayout#COMPARE_JSON} or {@link CompareLayout#REPORT_JSON}
     * @return the report.html path
     */
    public static Path write(Path dir, String jsonName, ReportFile results, GeneralizationTable generalization) {
        Json.writeAtomically(dir.resolve(jsonName), Json.pretty(results) + "\n");
        return HtmlReport.write(dir, results.title(), results.runs(), generalization);
    }
}
