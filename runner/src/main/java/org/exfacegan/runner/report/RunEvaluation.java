package org.exfacegan.runner.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One run as the report shows it: its label, folder, what it was made with, and its metrics.
 *
 * @param label      name in tables and charts
 * @param folder     run folder
 * @param backbone   backbone provider name
 * @param fitter     boundary fitter
 * @param sampling   sampling mode
 * @param metrics    the figures
 * @param provenance the run's run.json (config, plugins, model hashes, JVM, timings)
 * @param scores     genuine and impostor scores (charts only)
 * @param rates      error rates over thresholds (charts only); null without genuine or impostor pairs
 */
public record RunEvaluation(String label, String folder, String backbone, String fitter, String sampling,
                            RunMetrics metrics, JsonNode provenance,
                            @JsonIgnore PairScores scores, @JsonIgnore ErrorRates rates) {
}
