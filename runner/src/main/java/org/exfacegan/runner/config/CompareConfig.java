package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A comparison: one experiment (the {@code base}) run once per variant, each variant replacing
 * whole sections of it, plus already finished runs to measure beside them. Every variant keeps
 * the base's recogniser, seed and sizes, so only what the variant names differs.
 *
 * @param name               a title for the report
 * @param output             folder of the comparison, relative to this file: configs/, runs/, compare.json, report.html
 * @param base               an experiment config: an object, or the path of one (relative to this file);
 *                           its name and output are replaced per variant
 * @param variants           the variants to run
 * @param runs               finished run folders to measure too (relative to this file)
 * @param lookalikeThreshold cosine of two identity centres above which they count as look-alikes (default 0.5)
 * @param maxPairs           genuine/impostor pairs scored per run before sampling starts (default 2,000,000)
 * @param training           train a face recogniser on every dataset with these settings: a training config object
 *                           (without name, output, data, benchmarks) or the path of a training config file
 * @param benchmarks         verification benchmarks every trained recogniser is evaluated on (relative to this file)
 */
public record CompareConfig(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String output,
        JsonNode base,
        List<Variant> variants,
        List<String> runs,
        Double lookalikeThreshold,
        Long maxPairs,
        JsonNode training,
        List<String> benchmarks) {

    public static final double DEFAULT_LOOKALIKE = 0.5;
    public static final long DEFAULT_MAX_PAIRS = 2_000_000;

    public CompareConfig {
        variants = variants == null ? List.of() : List.copyOf(variants);
        runs = runs == null ? List.of() : List.copyOf(runs);
        lookalikeThreshold = lookalikeThreshold == null ? DEFAULT_LOOKALIKE : lookalikeThreshold;
        maxPairs = maxPairs == null ? DEFAULT_MAX_PAIRS : maxPairs;
        benchmarks = benchmarks == null ? List.of() : List.copyOf(benchmarks);
    }

    /**
     * One variant: a label, and the experiment sections it replaces (each replaced whole, not merged).
     *
     * @param label      run name and folder name under runs/ ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
     * @param backbone   another backbone (model path relative to the compare config)
     * @param labels     other labelling
     * @param fitter     another boundary fitter
     * @param sampling   other sampling
     * @param dataset    other dataset outputs
     * @param uniqueness another uniqueness filter
     * @param preset     a preset for this variant ("paper"): fills what the base and the variant leave out
     */
    public record Variant(@JsonProperty(required = true) String label, JsonNode backbone, JsonNode labels,
                          JsonNode fitter, JsonNode sampling, JsonNode dataset, Double uniqueness, String preset) {}
}
