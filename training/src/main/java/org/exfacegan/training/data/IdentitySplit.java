package org.exfacegan.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * Which identities train and which are held out for verification, drawn from the seed. Held-out
 * identities are drawn among those with at least two images (a genuine pair needs two); the
 * training identities become classes 0..classes-1 in dataset order.
 *
 * @param trainSamples dataset sample numbers used for training
 * @param classOf      class of each training sample (parallel to trainSamples)
 * @param classNames   identity name of each class
 * @param heldOut      dataset identity numbers held out
 */
public record IdentitySplit(int[] trainSamples, int[] classOf, List<String> classNames, int[] heldOut) {
    private static final long PURPOSE = 0x401D0E7L;

    public int classes() {
        return classNames.size();
    }

    /** Held-out identities by default: 10% of them, at most 200. */
    public static int defaultHeldOut(int identities) {
        return Math.min(200, identities / 10);
    }

    /** @throws IllegalArgumentException when fewer than two identities would remain to train on, or too few have two images */
    public static IdentitySplit of(FaceDataset data, long seed, int heldOutCount) {
        int n = data.identities();
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (data.samplesOf(i).length >= 2) {
                eligible.add(i);
            }
        }
        if (heldOutCount > eligible.size()) {
            throw new IllegalArgumentException("is " + heldOutCount + " but only " + eligible.size()
                    + " identities have the two images a held-out identity needs");
        }
        if (n - heldOutCount < 2) {
            throw new IllegalArgumentException("is " + heldOutCount + ", which leaves " + (n - heldOutCount)
                    + " of the data's " + n + " identities to train on; training needs at least 2");
        }
        int[] order = eligible.stream().mapToInt(Integer::intValue).toArray();
        SplittableRandom rnd = Seeds.random(seed, PURPOSE);
        Seeds.shuffle(order, rnd);
        int[] heldOut = Arrays.copyOf(order, heldOutCount);
        Arrays.sort(heldOut);
        boolean[] out = new boolean[n];
        for (int h : heldOut) {
            out[h] = true;
        }
        List<String> names = new ArrayList<>();
        List<Integer> samples = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (out[i]) {
                continue;
            }
            for (int s : data.samplesOf(i)) {
                samples.add(s);
                classes.add(names.size());
            }
            names.add(data.identityNames().get(i));
        }
        return new IdentitySplit(samples.stream().mapToInt(Integer::intValue).toArray(),
                classes.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(names), heldOut);
    }
}
