package org.exfacegan.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks of an experiment config that involve more than one field, or whether a field was given
 * at all. Each names the field the user gave (a derived value is never blamed), and all of them
 * run before anything else, so no run fails on them after hours of work. Add a rule to
 * {@link #RULES}.
 */
final class ConfigRules {
    /** The field at fault (JSON pointer) and what is wrong with it. */
    record Violation(String pointer, String message) {}

    /** The config as bound, and the fields the file itself gives. */
    record Checked(ExperimentConfig config, JsonNode file) {
        boolean given(String pointer) {
            JsonNode n = file.at(pointer);
            return !n.isMissingNode() && !n.isNull();
        }
    }

    @FunctionalInterface
    interface Rule {
        /** The violation, or null. */
        Violation check(Checked c);
    }

    static final List<Rule> RULES = List.of(
            ConfigRules::svmCost,
            ConfigRules::ridge,
            ConfigRules::labelThreshold,
            c -> cosine(c, "/sampling/min_similarity", c.config().sampling().minSimilarity()),
            c -> cosine(c, "/sampling/max_similarity", c.config().sampling().maxSimilarity()),
            ConfigRules::similarityOrder,
            ConfigRules::distanceOrder);

    private ConfigRules() {}

    /** Throws the first violation as a ConfigException naming the file and the field. */
    static void check(Path file, ExperimentConfig config, JsonNode tree) {
        Checked c = new Checked(config, tree);
        for (Rule rule : RULES) {
            Violation v = rule.check(c);
            if (v != null) {
                throw ConfigLoader.fieldError(file, v.pointer(), v.message());
            }
        }
    }

    private static Violation svmCost(Checked c) {
        double cost = c.config().fitter().c();
        return cost > 0 && cost < Double.POSITIVE_INFINITY ? null : new Violation("/fitter/c", "is " + cost + ", must be in (0, inf)");
    }

    /** The ridge given, or else the one derived from c (1/(2c)), which must be finite: then c is blamed. */
    private static Violation ridge(Checked c) {
        Double ridge = c.config().fitter().ridge();
        if (ridge == null) { // not a least-squares fitter
            return null;
        }
        if (c.given("/fitter/ridge")) {
            return ridge >= 0 && ridge < Double.POSITIVE_INFINITY ? null
                    : new Violation("/fitter/ridge", "is " + ridge + ", must be in [0, inf)");
        }
        return Double.isFinite(ridge) ? null : new Violation("/fitter/c", "is " + c.config().fitter().c()
                + ": the ridge derived from it, 1/(2c), is not finite; give a larger c, or a ridge");
    }

    private static Violation labelThreshold(Checked c) {
        Double t = c.config().labels().threshold();
        return t == null ? null : cosine(c, "/labels/threshold", t);
    }

    private static Violation cosine(Checked c, String pointer, Double value) {
        return value == null || (value >= -1 && value <= 1) ? null
                : new Violation(pointer, "is " + value + ", must be a cosine in [-1, 1]");
    }

    private static Violation similarityOrder(Checked c) {
        Double min = c.config().sampling().minSimilarity();
        Double max = c.config().sampling().maxSimilarity();
        return min == null || max == null || min <= max ? null : new Violation("/sampling/min_similarity", "is " + min
                + ", above max_similarity " + max + ": no sample could pass both");
    }

    private static Violation distanceOrder(Checked c) {
        Double min = c.config().sampling().distanceMin();
        Double max = c.config().sampling().distanceMax();
        return min == null || max == null || min <= max ? null : new Violation(c.given("/sampling/distance_min") ? "/sampling/distance_min" : "/sampling/distance_max",
                "distance_min " + min + " exceeds distance_max " + max);
    }
}
