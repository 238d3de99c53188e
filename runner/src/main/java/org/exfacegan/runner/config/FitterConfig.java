package org.exfacegan.runner.config;

/**
 * Which boundary fitter and its parameters. {@code ridge} belongs to least squares: given with
 * another fitter it is refused, not ignored.
 *
 * @param type  "least-squares" (default), "svm" or "paper"
 * @param ridge least-squares ridge added to the Gram matrix's diagonal (default 1/(2c): the SVM's own
 *              regularisation with the squared loss, so its normals track the svm ones)
 * @param c     SVM cost (paper: 1); for least squares it sets the default ridge
 */
public record FitterConfig(String type, Double ridge, Double c) {
    public static final FitterConfig DEFAULT = new FitterConfig(null, null, null);

    public FitterConfig {
        type = type == null ? "least-squares" : type;
        c = c == null ? 1.0 : c;
        ridge = ridge == null && type.equals("least-squares") ? Double.valueOf(1 / (2 * c)) : ridge;
    }
}
