package org.exfacegan.runner.config;

/**
 * Which boundary fitter and its parameters.
 *
 * @param type  "least-squares" (default), "svm" or "paper"
 * @param ridge ridge parameter of least squares
 * @param c     SVM cost (paper: 1)
 */
public record FitterConfig(String type, Double ridge, Double c) {
    public static final FitterConfig DEFAULT = new FitterConfig(null, null, null);

    public FitterConfig {
        type = type == null ? "least-squares" : type;
        ridge = ridge == null ? 1e-3 : ridge;
        c = c == null ? 1.0 : c;
    }
}
