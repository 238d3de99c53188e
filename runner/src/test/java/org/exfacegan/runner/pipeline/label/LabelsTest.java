package org.exfacegan.runner.pipeline.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;

class LabelsTest {
    private static byte[] apply(LabelRule rule, float[] sims, int self) {
        byte[] out = new byte[sims.length];
        rule.label(sims, 0, sims.length, self, out, 0);
        return out;
    }

    @Test
    void medianIsTheReferenceCodesSortedMiddleOfTheOtherProbes() {
        float[] sims = {0.1f, 0.5f, 0.9f, 0.3f, 0.7f, 0.2f};
        // others (self = 2 excluded): sorted 0.1 0.2 0.3 0.5 0.7 -> threshold sorted[5/2] = 0.3, >= is similar
        assertArrayEquals(new byte[] {-1, 1, 0, 1, 1, -1}, apply(new LabelRule.Median(), sims, 2));
        // even count without self: sorted[6/2] = 0.5 (upper median, as the reference code)
        assertArrayEquals(new byte[] {-1, 1, 1, -1, 1, -1}, apply(new LabelRule.Median(), sims, -1));
    }

    @Test
    void ratioTakesTopAndBottomFractionsWithTiesByIndex() {
        float[] sims = {0.5f, 0.1f, 0.9f, 0.5f, 0.1f, 0.8f, 0.3f, 0.5f, 0.6f};
        // self 8 excluded: 8 others, fraction 0.25 -> 2 each side; bottom: 0.1 (1), 0.1 (4); top: 0.9 (2), 0.8 (5)
        assertArrayEquals(new byte[] {0, -1, 1, 0, -1, 1, 0, 0, 0}, apply(new LabelRule.Ratio(0.25), sims, 8));
        // sorted (sim, index): 1 4 6 0 | 3 | 7 8 5 2 -> bottom four dissimilar, top four similar, 3 unused
        assertArrayEquals(new byte[] {-1, -1, 1, 0, -1, 1, -1, 1, 1}, apply(new LabelRule.Ratio(0.5), sims, -1));
        assertThrows(ExfaceganException.class, () -> new LabelRule.Ratio(0.6));
    }

    @Test
    void thresholdAndNames() {
        float[] sims = {0.2f, 0.4f, 0.41f, -0.3f};
        assertArrayEquals(new byte[] {-1, 1, 1, 0}, apply(new LabelRule.Threshold(0.4), sims, 3));
        assertEquals(new LabelRule.Ratio(0.1), LabelRuleType.RATIO.create(0.1));
        assertEquals(new LabelRule.Threshold(0.3), LabelRuleType.THRESHOLD.create(0.3));
        for (LabelRuleType t : LabelRuleType.values()) {
            assertEquals(t, t.create(0.2).type());
        }
        assertThrows(ExfaceganException.class, () -> new LabelRule.Threshold(1.5));
    }

    @Test
    void balancingEqualisesSidesDeterministically() {
        Random rnd = new Random(1);
        int refs = 20, n = 301;
        float[] sims = new float[refs * n];
        for (int i = 0; i < sims.length; i++) {
            sims[i] = (float) rnd.nextGaussian();
        }
        int[] self = IntStream.range(0, refs).toArray();
        LabelSet free = Labeler.label(sims, refs, n, self, new LabelRule.Threshold(0.3), false, 9);
        LabelSet bal = Labeler.label(sims, refs, n, self, new LabelRule.Threshold(0.3), true, 9);
        assertEquals(bal, Labeler.label(sims, refs, n, self, new LabelRule.Threshold(0.3), true, 9));
        assertNotEquals(bal, Labeler.label(sims, refs, n, self, new LabelRule.Threshold(0.3), true, 10));
        for (int r = 0; r < refs; r++) {
            int pos = bal.count(r, LabelRule.SIMILAR), neg = bal.count(r, LabelRule.DISSIMILAR);
            assertEquals(pos, neg, "balanced sides of reference " + r);
            assertEquals(Math.min(free.count(r, LabelRule.SIMILAR), free.count(r, LabelRule.DISSIMILAR)), pos);
            assertEquals(0, bal.side(r, r), "the reference itself is unused");
            for (int i = 0; i < n; i++) {
                // balancing only drops labels, never flips them
                assertTrue(bal.side(r, i) == 0 || bal.side(r, i) == free.side(r, i));
            }
        }
        // the paper's numbers: 4,999 probes around the median -> 2,500 >= median, 2,499 below -> 2,499 each
        float[] one = new float[5000];
        for (int i = 0; i < one.length; i++) {
            one[i] = (float) rnd.nextGaussian();
        }
        LabelSet paper = Labeler.label(one, 1, 5000, new int[] {17}, new LabelRule.Median(), true, 1);
        assertEquals(2499, paper.count(0, LabelRule.SIMILAR));
        assertEquals(2499, paper.count(0, LabelRule.DISSIMILAR));
        assertEquals(2499, paper.indices(0, LabelRule.SIMILAR).length);
        float[] col = paper.column(0);
        assertEquals(0, col[17]);
        assertEquals(1, paper.head(1).references());
    }

    @Test
    void cosineOfNormalisedEmbeddings() {
        float[] refs = {1, 0, 0, 0.6f, 0.8f, 0};
        float[] probes = {0, 1, 0, 0.6f, 0.8f, 0, 0, 0, 1};
        float[] s = Labeler.cosine(refs, 2, probes, 3, 3);
        assertArrayEquals(new float[] {0, 0.6f, 0, 0.8f, 1f, 0}, s, 1e-6f);
        assertThrows(ExfaceganException.class, () -> Labeler.cosine(refs, 3, probes, 3, 3));
    }

    @Test
    void sharedSplitHasThePaperSizesAndIsSeeded() {
        Split s = Split.shared(4998, 0.7, 5);
        assertEquals(3498, s.train().length);
        assertEquals(1500, s.heldOut().length);
        int[] all = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.heldOut())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 4998).toArray(), all);
        assertArrayEquals(s.train(), Split.shared(4998, 0.7, 5).train());
        assertNotEquals(Arrays.toString(s.train()), Arrays.toString(Split.shared(4998, 0.7, 6).train()));
        assertEquals(1749, Split.perSideTrainCount(2499, 0.7)); // 1,749 + 1,749 = 3,498 train, 750 + 750 held out
        assertEquals(7, Split.trainCount(10, 0.7));
        assertThrows(ExfaceganException.class, () -> Split.shared(10, 0, 1));
    }
}
