package org.exfacegan.training.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.training.data.Batches;
import org.exfacegan.training.data.FaceDataset;

/**
 * Verification on identities the network never trains on: pairs drawn once from the seed, half of
 * them two images of one held-out identity, half images of two different ones; the figure is the
 * accuracy at the best threshold on those pairs ({@link #bestThresholdAccuracy}). The images are
 * read again at every evaluation, so memory stays small whatever the held-out set.
 */
public final class HeldOutPairs implements Evaluator {
    private static final long PURPOSE = 0x9A125L;
    private static final int CHUNK = 64;

    private final FaceDataset data;
    private final int identities;
    private final int[] first;
    private final int[] second;
    private final boolean[] same;

    public HeldOutPairs(FaceDataset data, int[] heldOutIdentities, int pairs, long seed) {
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
        int[] pick = new int[genuine.size()];
        Arrays.setAll(pick, i -> i);
        Seeds.shuffle(pick, rnd);
        first = new int[2 * half];
        second = new int[2 * half];
        same = new boolean[2 * half];
        for (int i = 0; i < half; i++) {
            int[] p = genuine.get(pick[i]);
            first[i] = p[0];
            second[i] = p[1];
            same[i] = true;
        }
        for (int i = half; i < 2 * half; i++) {
            int a = rnd.nextInt(identities);
            int b = rnd.nextInt(identities - 1);
            b = b >= a ? b + 1 : b;
            int[] sa = data.samplesOf(heldOutIdentities[a]);
            int[] sb = data.samplesOf(heldOutIdentities[b]);
            first[i] = sa[rnd.nextInt(sa.length)];
            second[i] = sb[rnd.nextInt(sb.length)];
        }
    }

    public int pairs() {
        return same.length;
    }

    @Override
    public String description() {
        return identities + " held-out identities, " + same.length / 2 + " genuine + " + same.length / 2 + " impostor pairs";
    }

    @Override
    public Map<String, Double> evaluate(Embedder network) {
        TreeMap<Integer, float[]> embedding = new TreeMap<>();
        for (int s : first) {
            embedding.put(s, null);
        }
        for (int s : second) {
            embedding.put(s, null);
        }
        List<Integer> samples = new ArrayList<>(embedding.keySet());
        int side = Batches.SIDE * Batches.SIDE * 3;
        for (int at = 0; at < samples.size(); at += CHUNK) {
            int n = Math.min(CHUNK, samples.size() - at);
            byte[] rgb = new byte[n * side];
            for (int i = 0; i < n; i++) {
                System.arraycopy(Batches.image(data, samples.get(at + i)), 0, rgb, i * side, side);
            }
            float[][] e = network.embed(rgb, n);
            for (int i = 0; i < n; i++) {
                embedding.put(samples.get(at + i), e[i]);
            }
        }
        double[] scores = new double[same.length];
        for (int i = 0; i < same.length; i++) {
            float[] a = embedding.get(first[i]);
            float[] b = embedding.get(second[i]);
            double dot = 0;
            for (int k = 0; k < a.length; k++) {
                dot += a[k] * b[k];
            }
            scores[i] = dot;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("holdout_accuracy", bestThresholdAccuracy(scores, same));
        return out;
    }

    /**
     * The fraction of pairs classified right ("same" when score >= t) at the threshold t that
     * classifies most right. Chosen on the same pairs, so it is optimistic; it tracks progress, it is
     * not a benchmark protocol.
     */
    public static double bestThresholdAccuracy(double[] scores, boolean[] same) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
        int positives = 0;
        for (boolean b : same) {
            positives += b ? 1 : 0;
        }
        // threshold below everything: all "same"
        int correct = positives;
        int best = correct;
        for (int i = 0; i < order.length; i++) {
            correct += same[order[i]] ? -1 : 1; // pair i moves to "different"
            boolean tie = i + 1 < order.length && scores[order[i + 1]] == scores[order[i]];
            if (!tie) {
                best = Math.max(best, correct);
            }
        }
        return scores.length == 0 ? Double.NaN : best / (double) scores.length;
    }
}
