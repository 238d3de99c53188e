package org.exfacegan.runner.run;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.MaxDistUnit;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.SamplingRecord;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.pipeline.sample.DistributionGuard;
import org.exfacegan.runner.pipeline.sample.IdentitySubspace;
import org.exfacegan.runner.pipeline.sample.LatentDistribution;
import org.exfacegan.runner.pipeline.sample.SamplingMode;
import org.exfacegan.runner.progress.Progress;

/**
 * What the sample stage needs besides the config: the accepted probes' distribution, the
 * in-distribution guard built on it, the identity subspace (subspace mode) and the sampler. Computed
 * from the probes and boundaries on disk (so a resumed run gets the same) and described in
 * {@code sampling.json}: the guard's threshold, the subspace's spectrum and rank.
 *
 * @param guard    null when the probes are too few to model their distribution (fewer than dims + 2)
 * @param subspace null unless the mode is subspace
 */
record SamplingPlan(IdentitySamplers.Sampler sampler, DistributionGuard guard, IdentitySubspace subspace) {
    /** The plan of a run, said on {@code progress} and recorded in {@code sampling.json}. */
    static SamplingPlan of(RunFolder folder, ExperimentConfig c, ProbeSet probes, Boundaries b, Progress progress) {
        return build(folder, c, probes, b, progress);
    }

    /** The same plan again, for a worker of the run (nothing said, nothing written). */
    static SamplingPlan again(ExperimentConfig c, ProbeSet probes, Boundaries b) {
        return build(null, c, probes, b, Progress.QUIET);
    }

    /** @param folder where {@code sampling.json} goes; null: not written */
    private static SamplingPlan build(RunFolder folder, ExperimentConfig c, ProbeSet probes, Boundaries b, Progress progress) {
        float[] accepted = acceptedLatents(probes);
        int n = accepted.length / probes.dim();
        LatentDistribution dist = null;
        String why = null;
        if (n > probes.dim() + 1) {
            dist = LatentDistribution.fit(accepted, n, probes.dim(), "accepted probes");
        } else {
            why = n + " accepted probes for " + probes.dim() + " latent dimensions: the guard needs more probes than dimensions";
        }
        if (dist == null && c.sampling().mode() == SamplingMode.SUBSPACE) {
            throw new ExfaceganException("sampling mode \"subspace\" models the probe latents' distribution: " + why
                    + " (raise /probes, or choose another /sampling/mode)");
        }
        DistributionGuard guard = dist == null ? null : DistributionGuard.of(dist, accepted);
        IdentitySubspace subspace = c.sampling().mode() == SamplingMode.SUBSPACE
                ? IdentitySubspace.estimate(b.normals(), b.count(), dist, c.sampling().rank()) : null;
        SamplingRecord.Guard g;
        if (guard == null) {
            g = SamplingRecord.Guard.off(why);
            progress.info("in-distribution guard off: " + why);
        } else {
            g = SamplingRecord.Guard.on(n, DistributionGuard.PERCENTILE, guard.threshold());
        }
        Double spreadMean = null;
        Double maxDistInSpreads = null;
        if (dist != null) {
            // what one latent unit means along these boundaries: the spread of the probes' signed distances
            double spread = 0;
            for (int r = 0; r < b.count(); r++) {
                double[] v = dist.whitenDirection(b.normal(r));
                double s2 = 0;
                for (double x : v) {
                    s2 += x * x;
                }
                spread += Math.sqrt(s2) / b.count();
            }
            spreadMean = spread;
            if (c.sampling().mode() == SamplingMode.PAPER && c.sampling().maxDistUnit() == MaxDistUnit.RAW) {
                maxDistInSpreads = c.sampling().maxDist() / spread;
                progress.info(String.format(java.util.Locale.ROOT, "paper sampling: max_dist %s latent units = %.1f spreads of the "
                        + "probes' signed distances (mean over boundaries; u (*) n moves a latent max_dist / 2 along the normal on "
                        + "average)", c.sampling().maxDist(), c.sampling().maxDist() / spread));
            }
        }
        SamplingRecord.Subspace s = null;
        if (subspace != null) {
            s = new SamplingRecord.Subspace(subspace.rank(), subspace.chosen(), subspace.count(), subspace.dim(),
                    subspace.explained(), subspace.spectrum(), subspace.heldOut());
            progress.info(String.format(java.util.Locale.ROOT, "identity subspace: rank %d of %d (%s) from %d boundaries, "
                    + "%.1f%% of their variance", subspace.rank(), subspace.dim(), subspace.chosen(), subspace.count(),
                    100 * subspace.explained()));
        }
        if (folder != null) {
            folder.writeAtomically(RunLayout.SAMPLING_JSON, Json.pretty(new SamplingRecord(c.sampling().mode(), g, spreadMean,
                    maxDistInSpreads, s)));
        }
        return new SamplingPlan(IdentitySamplers.of(c, probes, b, dist, subspace), guard, subspace);
    }

    static float[] acceptedLatents(ProbeSet probes) {
        int d = probes.dim();
        float[] out = new float[probes.acceptedCount() * d];
        for (int i = 0, k = 0; i < probes.size(); i++) {
            if (probes.accepted()[i]) {
                System.arraycopy(probes.latents(), i * d, out, k++ * d, d);
            }
        }
        return out;
    }
}
