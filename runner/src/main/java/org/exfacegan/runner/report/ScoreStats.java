package org.exfacegan.runner.report;

/**
 * Count, mean, population standard deviation, min and max of a set of comparison scores.
 *
 * @param count number of scores
 * @param mean  mean (NaN when empty)
 * @param std   population standard deviation (divides by n, as NumPy's default and pyeer do)
 * @param min   smallest score
 * @param max   largest score
 */
public record ScoreStats(long count, double mean, double std, double min, double max) {
    public static ScoreStats of(double[] scores) {
        if (scores.length == 0) {
            return new ScoreStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            sum += s;
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        double mean = sum / scores.length;
        double ss = 0;
        for (double s : scores) {
            ss += (s - mean) * (s - mean);
        }
        return new ScoreStats(scores.length, mean, Math.sqrt(ss / scores.length), min, max);
    }

    public double variance() {
        return std * std;
    }
}
