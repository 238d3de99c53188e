package org.exfacegan.runner.pipeline.fit;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Split;

/**
 * What every fitter sees: the probes' latents {@code [probes x dim]} (row-major, raw coordinates),
 * every reference's labels over those probes, the train fraction and the seed of the splits.
 */
public record FitProblem(float[] latents, int dim, LabelSet labels, double trainFraction, long seed) {
    public FitProblem {
        if (dim <= 0 || latents.length != (long) labels.probes() * dim) {
            throw new ExfaceganException("fit: latents hold " + latents.length + " values, expected "
                    + labels.probes() + " probes x " + dim + " dims");
        }
        Split.trainCount(labels.probes(), trainFraction); // validates the fraction
    }

    public int probes() {
        return labels.probes();
    }

    public int references() {
        return labels.references();
    }

    /** The train / held-out split of probes shared by the least-squares and svm fitters. */
    public Split sharedSplit() {
        return Split.shared(probes(), trainFraction, seed);
    }
}
