package org.exfacegan.runner.report;

/**
 * How far apart the genuine and impostor score distributions are, from their means and variances.
 *
 * @param fdr    Fisher discriminant ratio (mu_G - mu_I)^2 / (sigma_G^2 + sigma_I^2)
 * @param dPrime decidability d' = |mu_G - mu_I| / sqrt((sigma_G^2 + sigma_I^2) / 2)
 */
public record Separability(double fdr, double dPrime) {
    public static Separability of(ScoreStats genuine, ScoreStats impostor) {
        double gap = genuine.mean() - impostor.mean();
        double spread = genuine.variance() + impostor.variance();
        if (spread == 0) { // two point masses: perfectly (or not at all) separated
            double v = gap == 0 ? 0 : Double.POSITIVE_INFINITY;
            return new Separability(v, v);
        }
        return new Separability(gap * gap / spread, Math.abs(gap) / Math.sqrt(spread / 2));
    }
}
