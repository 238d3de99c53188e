package org.exfacegan.runner.pipeline.fit;

import org.exfacegan.api.ExfaceganException;

/**
 * Fitter settings.
 *
 * @param ridge least-squares ridge lambda added to the diagonal of the centred Gram matrix; the default
 *     1/(2C) = 0.5 makes least squares the SVM's own regularised problem with the squared loss in
 *     place of the squared hinge (an LS-SVM), so its normals track the svm / LIBLINEAR ones
 * @param c SVM cost C (paper: 1)
 * @param tolerance SVM stopping tolerance, LIBLINEAR's primal criterion (scikit-learn's default tol 1e-4)
 * @param maxIterations SVM Newton iterations at most
 * @param evaluateTrain also measure train accuracy (costs one more product over the training probes)
 */
public record FitOptions(double ridge, double c, double tolerance, int maxIterations, boolean evaluateTrain) {
    public static final FitOptions DEFAULTS = new FitOptions(0.5, 1.0, 1e-4, 100, true);

    public FitOptions {
        if (!(ridge >= 0) || !(c > 0) || !(tolerance > 0) || maxIterations < 1) {
            throw new ExfaceganException("fit options: need ridge >= 0, c > 0, tolerance > 0, maxIterations >= 1; got "
                    + ridge + ", " + c + ", " + tolerance + ", " + maxIterations);
        }
    }

    public FitOptions withRidge(double r) {
        return new FitOptions(r, c, tolerance, maxIterations, evaluateTrain);
    }

    public FitOptions withTolerance(double t) {
        return new FitOptions(ridge, c, t, maxIterations, evaluateTrain);
    }

    public FitOptions withEvaluateTrain(boolean e) {
        return new FitOptions(ridge, c, tolerance, maxIterations, e);
    }
}
