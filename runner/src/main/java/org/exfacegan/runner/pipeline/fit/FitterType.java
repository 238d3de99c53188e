package org.exfacegan.runner.pipeline.fit;

import org.exfacegan.runner.io.JsonName;

/** The boundary fitters a config chooses by {@code fitter.type}; docs/fitting.md describes each. */
public enum FitterType implements JsonName {
    /** Ridge least squares for all references at once (default). */
    LEAST_SQUARES,
    /** Squared-hinge linear SVM, warm-started from least squares. */
    SVM,
    /** The reference code's recipe: min-max scaling, balanced 70/30 split, LinearSVC. */
    PAPER;

    public BoundaryFitter create(FitOptions options) {
        return switch (this) {
            case LEAST_SQUARES -> new LeastSquaresFitter(options);
            case SVM -> new SvmFitter(options);
            case PAPER -> new PaperFitter(options);
        };
    }

    @Override
    public String toString() {
        return jsonName();
    }
}
