package org.exfacegan.runner.pipeline.sample;

import org.exfacegan.api.ExfaceganException;

/** The samplers by name. */
public final class Samplers {
    private Samplers() {}

    /**
     * {@code paper}: maxDist (default 30); {@code directional}: dMin, dMax, sigma.
     */
    public static IdentitySampler create(String name, double maxDist, double dMin, double dMax, double sigma) {
        return switch (name) {
            case "paper" -> new PaperSampler(maxDist);
            case "directional" -> new DirectionalSampler(dMin, dMax, sigma);
            default -> throw new ExfaceganException("unknown sampler '" + name + "'; available: paper, directional");
        };
    }
}
