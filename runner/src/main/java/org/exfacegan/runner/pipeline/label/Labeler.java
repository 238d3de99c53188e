package org.exfacegan.runner.pipeline.label;

import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Parallel;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/** Builds the labels of all references: similarities, a {@link LabelRule}, optional balancing. */
public final class Labeler {
    private static final long BALANCE = 0xBA1A;

    private Labeler() {}

    /**
     * Cosine similarities {@code [references x probes]} of L2-normalised embeddings (row-major
     * {@code [references x dim]} and {@code [probes x dim]}).
     */
    public static float[] cosine(float[] references, int refCount, float[] probes, int probeCount, int dim) {
        if (references.length != (long) refCount * dim || probes.length != (long) probeCount * dim) {
            throw new ExfaceganException("embeddings: expected [" + refCount + ", " + dim + "] and [" + probeCount
                    + ", " + dim + "], got " + references.length + " and " + probes.length + " values");
        }
        float[] sims = new float[refCount * probeCount];
        Gemm.multiply(references, Gemm.transpose(probes, probeCount, dim), sims, refCount, dim, probeCount);
        return sims;
    }

    /**
     * Labels every reference r over {@code sims[r*probes ..]}, ignoring probe {@code self[r]}.
     * With {@code balanced}, the larger side loses randomly chosen probes (seeded per reference)
     * until both sides have the same count, as the paper's 2,499 per side.
     */
    public static LabelSet label(float[] sims, int references, int probes, int[] self, LabelRule rule,
                                 boolean balanced, long seed) {
        if (sims.length != (long) references * probes || self.length != references) {
            throw new ExfaceganException("similarities: expected [" + references + ", " + probes + "] and "
                    + references + " self indices, got " + sims.length + " values and " + self.length);
        }
        for (int r = 0; r < references; r++) {
            if (self[r] < -1 || self[r] >= probes) {
                throw new ExfaceganException("reference " + r + ": self index " + self[r] + " outside 0.." + (probes - 1));
            }
        }
        byte[] sides = new byte[sims.length];
        Parallel.forEach(references, r -> {
            rule.label(sims, r * probes, probes, self[r], sides, r * probes);
            if (balanced) {
                balance(sides, r * probes, probes, Seeds.random(seed, BALANCE, r));
            }
        });
        return new LabelSet(references, probes, sides, self);
    }

    private static void balance(byte[] sides, int from, int n, SplittableRandom rnd) {
        int pos = 0, neg = 0;
        for (int i = from; i < from + n; i++) {
            if (sides[i] > 0) {
                pos++;
            } else if (sides[i] < 0) {
                neg++;
            }
        }
        byte big = pos > neg ? LabelRule.SIMILAR : LabelRule.DISSIMILAR;
        int bigCount = Math.max(pos, neg);
        int drop = Math.abs(pos - neg);
        if (drop == 0) {
            return;
        }
        int[] members = new int[bigCount];
        for (int i = from, k = 0; i < from + n; i++) {
            if (sides[i] == big) {
                members[k++] = i;
            }
        }
        // partial Fisher-Yates: the first `drop` positions get a uniform random subset
        for (int k = 0; k < drop; k++) {
            int j = k + rnd.nextInt(bigCount - k);
            int t = members[k];
            members[k] = members[j];
            members[j] = t;
            sides[members[k]] = LabelRule.UNUSED;
        }
    }
}
