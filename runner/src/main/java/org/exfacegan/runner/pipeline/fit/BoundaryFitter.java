package org.exfacegan.runner.pipeline.fit;

/**
 * Fits one identity boundary per reference. A boundary is a unit normal n in raw latent
 * coordinates pointing to the reference's similar side and an offset b, so the signed distance of
 * a latent x is {@code n.x + b} (positive = similar side).
 */
public interface BoundaryFitter {
    /** Which fitter this is (a config selects it by its name). */
    FitterType type();

    Boundaries fit(FitProblem problem);
}
