package org.exfacegan.runner.run;

import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.SamplingConfig;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.pipeline.sample.IdentitySampler;
import org.exfacegan.runner.pipeline.sample.IdentitySubspace;
import org.exfacegan.runner.pipeline.sample.LatentDistribution;
import org.exfacegan.runner.pipeline.sample.Samplers;
import org.exfacegan.runner.pipeline.sample.SubspaceSampler;

/**
 * Connects the configured sampling mode to the identities. Distances and variation are configured
 * in units of the data (so one config fits every backbone): a distance unit is the spread
 * (standard deviation) of the probes' signed distances to that boundary, directional's sigma is in
 * units of the probe latents' mean per-dimension spread, subspace's variation in units of the probe
 * latents' own variation.
 */
public final class IdentitySamplers {
    static final long SAMPLE_SEED = 0x5A4D7L;

    /** Draws candidates {@code from .. from+count-1} of an identity: fit-space latents and signed distances. */
    public interface Sampler {
        IdentitySampler.Samples draw(Identity identity, int from, int count);

        /**
         * The latent whose face is the identity's reference: the reference probe for its own side;
         * for the other side of a boundary (paper mode, both sides) the probe mirrored across it.
         */
        float[] referenceLatent(Identity identity);
    }

    private IdentitySamplers() {}

    /**
     * @param dist     the accepted probes' distribution (subspace mode needs it)
     * @param subspace the identity subspace (subspace mode only; else null)
     */
    public static Sampler of(ExperimentConfig c, ProbeSet probes, Boundaries b, LatentDistribution dist, IdentitySubspace subspace) {
        SamplingConfig s = c.sampling();
        long seed = Seeds.mix(c.seed(), SAMPLE_SEED);
        IdentityDraw draw = switch (s.mode()) {
            case "paper" -> {
                boolean spread = s.maxDistUnit().equals("spread");
                yield (id, from, count) -> {
                    double maxDist = spread ? s.maxDist() * distanceSpread(probes, b, id.boundary()) : s.maxDist();
                    return Samplers.create("paper", maxDist, 0, 0, 0).sample(probes.latent(id.reference()),
                            b.normal(id.boundary()), b.offsets()[id.boundary()], seed, id.index(), id.side(), from, count);
                };
            }
            case "subspace" -> {
                IdentitySampler sampler = new SubspaceSampler(dist, subspace, s.step(), s.variation());
                yield (id, from, count) -> sampler.sample(probes.latent(id.reference()), b.normal(id.boundary()),
                        b.offsets()[id.boundary()], seed, id.index(), id.side(), from, count);
            }
            default -> {
                double latentSpread = latentSpread(probes);
                yield (id, from, count) -> {
                    double unit = distanceSpread(probes, b, id.boundary());
                    IdentitySampler directional = Samplers.create("directional", 0, s.distanceMin() * unit,
                            s.distanceMax() * unit, s.sigma() * latentSpread);
                    return directional.sample(probes.latent(id.reference()), b.normal(id.boundary()), b.offsets()[id.boundary()],
                            seed, id.index(), id.side(), from, count);
                };
            }
        };
        return new Sampler() {
            @Override
            public IdentitySampler.Samples draw(Identity identity, int from, int count) {
                return draw.draw(identity, from, count);
            }

            @Override
            public float[] referenceLatent(Identity id) {
                float[] ref = probes.latent(id.reference());
                return id.side() > 0 ? ref : mirror(ref, b.normal(id.boundary()), b.offsets()[id.boundary()]);
            }
        };
    }

    private interface IdentityDraw {
        IdentitySampler.Samples draw(Identity identity, int from, int count);
    }

    /** {@code w - 2 (n.w + b) n}: the latent on the other side of the boundary, as far from it. */
    static float[] mirror(float[] w, float[] n, float offset) {
        double s = IdentitySampler.signedDistance(n, offset, w, 0);
        float[] out = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            out[j] = (float) (w[j] - 2 * s * n[j]);
        }
        return out;
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
