package org.exfacegan.runner.run;

import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.SamplingConfig;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.pipeline.sample.IdentitySampler;
import org.exfacegan.runner.pipeline.sample.Samplers;

/**
 * Connects the configured sampling mode to the identities. Directional distances and variation
 * are configured in units of the data (so one config fits every backbone): a distance unit is
 * the spread (standard deviation) of the probes' signed distances to that boundary, and sigma is
 * in units of the probe latents' mean per-dimension spread.
 */
final class IdentitySamplers {
    static final long SAMPLE_SEED = 0x5A4D7L;

    private IdentitySamplers() {}

    static SampleStage.Sampler of(ExperimentConfig c, ProbeSet probes, Boundaries b) {
        SamplingConfig s = c.sampling();
        long seed = Seeds.mix(c.seed(), SAMPLE_SEED);
        if (s.mode().equals("paper")) {
            IdentitySampler paper = Samplers.create("paper", s.maxDist(), 0, 0, 0);
            return (id, from, count) -> paper.sample(probes.latent(id.reference()), b.normal(id.boundary()),
                    b.offsets()[id.boundary()], seed, id.index(), id.side(), from, count);
        }
        double latentSpread = latentSpread(probes);
        return (id, from, count) -> {
            double unit = distanceSpread(probes, b, id.boundary());
            IdentitySampler directional = Samplers.create("directional", 0, s.distanceMin() * unit,
                    s.distanceMax() * unit, s.sigma() * latentSpread);
            return directional.sample(probes.latent(id.reference()), b.normal(id.boundary()), b.offsets()[id.boundary()],
                    seed, id.index(), id.side(), from, count);
        };
    }

    /** Standard deviation of the accepted probes' signed distances to boundary r. */
    static double distanceSpread(ProbeSet probes, Boundaries b, int r) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < probes.size(); i++) {
            if (probes.accepted()[i]) {
                double d = b.signedDistance(r, probes.latents(), i * probes.dim());
                sum += d;
                sq += d * d;
                n++;
            }
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(sq / n - mean * mean, 0));
    }

    /** Mean over dimensions of the probe latents' standard deviation. */
    static double latentSpread(ProbeSet probes) {
        int d = probes.dim();
        double total = 0;
        for (int j = 0; j < d; j++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < probes.size(); i++) {
                double v = probes.latents()[i * d + j];
                sum += v;
                sq += v * v;
            }
            double mean = sum / probes.size();
            total += Math.sqrt(Math.max(sq / probes.size() - mean * mean, 0));
        }
        return total / d;
    }
}
