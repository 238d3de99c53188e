package org.exfacegan.runner.pipeline.label;

import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * A seeded train / held-out split of probe indices. The paper splits 70/30 (scikit-learn
 * convention: held-out = ceil(30% of n), train = the rest).
 */
public record Split(int[] train, int[] heldOut) {
    private static final long SHARED = 0x5B117;

    public Split {
        train = train.clone();
        heldOut = heldOut.clone();
    }

    @Override
    public int[] train() {
        return train.clone();
    }

    @Override
    public int[] heldOut() {
        return heldOut.clone();
    }

    /** Train count for n items at the given train fraction: n - ceil((1 - fraction) n). */
    public static int trainCount(int n, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction <= 1)) {
            throw new ExfaceganException("train fraction must be in (0, 1], got " + trainFraction);
        }
        return n - (int) Math.ceil((1 - trainFraction) * n - 1e-9);
    }

    /** One split of {@code 0..n-1} shared by all references (both index lists ascending). */
    public static Split shared(int n, double trainFraction, long seed) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        Seeds.shuffle(p, Seeds.random(seed, SHARED));
        int t = trainCount(n, trainFraction);
        int[] train = Arrays.copyOf(p, t);
        int[] held = Arrays.copyOfRange(p, t, n);
        Arrays.sort(train);
        Arrays.sort(held);
        return new Split(train, held);
    }

    /** The reference code's per-side split: floor(fraction * count) of each side train, the rest held out. */
    public static int perSideTrainCount(int count, double trainFraction) {
        return (int) Math.floor(count * trainFraction + 1e-9);
    }
}
