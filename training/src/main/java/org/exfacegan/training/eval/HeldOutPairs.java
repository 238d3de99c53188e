package org.exfacegan.training.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.generalization.TrainedRecognizer;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.training.data.Batches;
import org.exfacegan.training.data.FaceDataset;

/**
 * Verification pairs of identities the network never trains on, drawn once from the seed: half of
 * them two images of one held-out identity, half images of two different ones, alternating, so
 * that each of the protocol's consecutive folds holds as many of each. Evaluated as a benchmark
 * named {@value #NAME}; its images are read from the dataset when embedded, so memory stays small
 * whatever the held-out set. It shares the training data's labelling, so it tracks learning, not
 * generalisation (docs/training.md).
 */
public final class HeldOutPairs implements EvaluationSet {
    public static final String NAME = TrainedRecognizer.HOLDOUT;
    private static final long PURPOSE = 0x9A125L;

    private final FaceDataset data;
    private final int identities;
    private final int[] first;
    private final int[] second;
    private final boolean[] same;

    /** @throws IllegalArgumentException when the held-out identities give fewer than {@code minPerKind} genuine pairs */
    public HeldOutPairs(FaceDataset data, int[] heldOutIdentities, int pairs, long seed, int minPerKind) {
        this.data = data;
        this.identities = heldOutIdentities.length;
        SplittableRandom rnd = Seeds.random(seed, PURPOSE);
        List<int[]> genuine = new ArrayList<>();
        for (int id : heldOutIdentities) {
            int[] s = data.samplesOf(id);
            for (int i = 0; i < s.length; i++) {
                for (int j = i + 1; j < s.length; j++) {
                    genuine.add(new int[] {s[i], s[j]});
                }
            }
        }
        int half = Math.min(pairs / 2, genuine.size());
        if (half < minPerKind) {
            throw new IllegalArgumentException("the " + identities + " held-out identities give " + genuine.size()
                    + " genuine pairs and " + pairs + " pairs were asked for; the verification protocol needs at least "
                    + minPerKind + " of each kind");
        }
        int[] pick = new int[genuine.size()];
        Arrays.setAll(pick, i -> i);
        Seeds.shuffle(pick, rnd);
        first = new int[2 * half];
        second = new int[2 * half];
        same = new boolean[2 * half];
        for (int i = 0; i < half; i++) {
            int[] p = genuine.get(pick[i]);
            first[2 * i] = p[0];
            second[2 * i] = p[1];
            same[2 * i] = true;
        }
        for (int i = 0; i < half; i++) {
            int a = rnd.nextInt(identities);
            int b = rnd.nextInt(identities - 1);
            b = b >= a ? b + 1 : b;
            int[] sa = data.samplesOf(heldOutIdentities[a]);
            int[] sb = data.samplesOf(heldOutIdentities[b]);
            first[2 * i + 1] = sa[rnd.nextInt(sa.length)];
            second[2 * i + 1] = sb[rnd.nextInt(sb.length)];
        }
    }

    public int pairs() {
        return same.length;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return NAME + ": " + identities + " held-out identities of the training data, " + same.length / 2 + " genuine + "
                + same.length / 2 + " impostor pairs";
    }

    /** The pairs as a benchmark of the dataset's images (each image once, in sample order). */
    @Override
    public Benchmark load() {
        TreeMap<Integer, Integer> index = new TreeMap<>();
        for (int i = 0; i < same.length; i++) {
            index.put(first[i], 0);
            index.put(second[i], 0);
        }
        List<Benchmark.Image> images = new ArrayList<>();
        for (int sample : index.keySet()) {
            index.put(sample, images.size());
            images.add(new Sample(data, sample));
        }
        int[] a = new int[same.length];
        int[] b = new int[same.length];
        for (int i = 0; i < same.length; i++) {
            a[i] = index.get(first[i]);
            b[i] = index.get(second[i]);
        }
        return new Benchmark(NAME, data.source(), true, images, a, b, same.clone());
    }

    /** A training-data image, read (and size-checked) when embedded. */
    private record Sample(FaceDataset data, int sample) implements Benchmark.Image {
        @Override
        public String label() {
            return data.describe(sample);
        }

        @Override
        public ImageBatch read() {
            return new ImageBatch(1, Batches.SIDE, Batches.SIDE, Batches.image(data, sample));
        }
    }
}
