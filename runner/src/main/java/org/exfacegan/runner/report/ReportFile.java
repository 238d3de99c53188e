package org.exfacegan.runner.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.exfacegan.runner.config.CompareConfig;
import org.exfacegan.runner.generalization.GeneralizationTable;
import org.exfacegan.runner.run.Provenance;

/**
 * The machine-readable results beside report.html: {@code compare.json} of a comparison (its config
 * file and config) or {@code report.json} of one run (its folder and the report's options).
 *
 * @param compareConfig      a comparison's config file
 * @param config             a comparison's config
 * @param runFolder          a single run's folder
 * @param lookalikeThreshold a single run's report: the look-alike threshold
 * @param maxPairs           a single run's report: pairs scored before sampling
 * @param title              the report's title
 * @param generated          when it was written
 * @param exfaceganVersion   this program's version
 * @param generalization     a comparison's generalization table (recognisers trained on each dataset), when it has one
 * @param runs               every run measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportFile(String compareConfig, CompareConfig config, String runFolder, Double lookalikeThreshold, Long maxPairs,
                         String title, String generated, String exfaceganVersion, JsonNode generalization,
                         List<RunEvaluation> runs) {
    /** The results of a comparison. */
    static ReportFile comparison(String compareConfig, CompareConfig config, List<RunEvaluation> runs,
            GeneralizationTable generalization) {
        return new ReportFile(compareConfig, config, null, null, null, config.name(), Instant.now().toString(),
                Provenance.version(), generalization == null ? null : generalization.json(), runs);
    }

    /** The results of one run's report. */
    static ReportFile run(String runFolder, double lookalikeThreshold, long maxPairs, String title, RunEvaluation run) {
        return new ReportFile(null, null, runFolder, lookalikeThreshold, maxPairs, title, Instant.now().toString(),
                Provenance.version(), null, List.of(run));
    }
}
