package org.exfacegan.runner.pipeline.label;

import org.exfacegan.runner.io.JsonName;

/** The label rules a config chooses by {@code labels.rule}. */
public enum LabelRuleType implements JsonName {
    /** The paper's: split at the median cosine to the reference. */
    MEDIAN,
    /** The top and bottom fraction of probes. */
    RATIO,
    /** A fixed cosine. */
    THRESHOLD;

    /** The rule; {@code parameter} is the fraction of {@link #RATIO} or the cosine of {@link #THRESHOLD} (else unused). */
    public LabelRule create(double parameter) {
        return switch (this) {
            case MEDIAN -> new LabelRule.Median();
            case RATIO -> new LabelRule.Ratio(parameter);
            case THRESHOLD -> new LabelRule.Threshold(parameter);
        };
    }

    @Override
    public String toString() {
        return jsonName();
    }
}
