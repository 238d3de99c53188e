package org.exfacegan.runner.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.generalization.GeneralizationTable;

/** Writes the machine-readable results ({@code compare.json} / {@code report.json}) and report.html side by side. */
public final class ReportFiles {
    private ReportFiles() {}

    /**
     * @param dir      output folder
     * @param jsonName compare.json or report.json
     * @param title    report title
     * @param header   what produced the comparison (config file, options); runs are added under "runs"
     * @return the report.html path
     */
    public static Path write(Path dir, String jsonName, String title, ObjectNode header, List<RunEvaluation> runs) {
        return write(dir, jsonName, title, header, runs, null);
    }

    /** As {@link #write(Path, String, String, ObjectNode, List)}, with the generalization table (null: none) leading. */
    public static Path write(Path dir, String jsonName, String title, ObjectNode header, List<RunEvaluation> runs,
            GeneralizationTable generalization) {
        ObjectNode root = header.deepCopy();
        root.put("title", title);
        root.put("generated", Instant.now().toString());
        String v = ReportFiles.class.getPackage().getImplementationVersion();
        root.put("exfacegan_version", v == null ? "development build" : v);
        if (generalization != null) {
            root.set("generalization", generalization.json());
        }
        root.set("runs", ConfigLoader.MAPPER.valueToTree(runs));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(jsonName), ConfigLoader.toJson(root) + "\n");
        } catch (IOException e) {
            throw new ExfaceganException("cannot write " + dir.resolve(jsonName) + ": " + e.getMessage(), e);
        }
        return HtmlReport.write(dir, title, runs, generalization);
    }
}
