package org.exfacegan.runner.config;

/**
 * How probes are labelled similar / dissimilar to a reference. {@code ratio} and {@code threshold}
 * belong to their rule: given with another rule they are refused, not ignored.
 *
 * @param rule          "median" (paper: split at the median cosine), "ratio" (top/bottom fraction), "threshold"
 * @param ratio         for "ratio": fraction of probes taken on each side (default 0.3)
 * @param threshold     for "threshold": cosine at or above which a probe is similar
 * @param balanced      equal counts per side (paper: true)
 * @param trainFraction share of labelled probes used to fit; the rest measures held-out accuracy (paper 0.7)
 */
public record LabelConfig(String rule, Double ratio, Double threshold, Boolean balanced, Double trainFraction) {
    public static final LabelConfig DEFAULT = new LabelConfig(null, null, null, null, null);

    public LabelConfig {
        rule = rule == null ? "median" : rule;
        ratio = ratio == null && rule.equals("ratio") ? Double.valueOf(0.3) : ratio;
        balanced = balanced == null ? Boolean.TRUE : balanced;
        trainFraction = trainFraction == null ? 0.7 : trainFraction;
    }
}
