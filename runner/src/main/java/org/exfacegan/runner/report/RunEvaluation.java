package org.exfacegan.runner.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.pipeline.fit.FitterType;
import org.exfacegan.runner.pipeline.sample.SamplingMode;

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
public record RunEvaluation(String label, String folder, String backbone, FitterType fitter, SamplingMode sampling,
                            RunMetrics metrics, RunRecord provenance,
                            @JsonIgnore PairScores scores, @JsonIgnore ErrorRates rates) {
}
