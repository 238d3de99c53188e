package org.exfacegan.runner.pipeline.label;

import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;

/**
 * How one reference's probes are split into similar (+1) and dissimilar (-1) by cosine similarity;
 * probes left out get 0. Rules see the similarities of the probes only (the reference itself is
 * excluded by the caller).
 */
public sealed interface LabelRule {
    byte SIMILAR = 1;
    byte DISSIMILAR = -1;
    byte UNUSED = 0;

    /** Which rule this is (a config selects it by its name). */
    LabelRuleType type();

    /**
     * Labels {@code sims[from..from+n)} into {@code out[outFrom..]}, skipping index {@code self}
     * (relative to {@code from}; -1 for none), which gets {@link #UNUSED}.
     */
    void label(float[] sims, int from, int n, int self, byte[] out, int outFrom);

    /**
     * The paper's rule: threshold = the median similarity of the other probes, taken as the
     * reference code does (element {@code m/2} of the sorted m similarities, the median when m is
     * odd as with 4,999 probes); similarity >= threshold is similar.
     */
    record Median() implements LabelRule {
        @Override
        public LabelRuleType type() {
            return LabelRuleType.MEDIAN;
        }

        @Override
        public void label(float[] sims, int from, int n, int self, byte[] out, int outFrom) {
            float[] s = new float[self >= 0 ? n - 1 : n];
            for (int i = 0, k = 0; i < n; i++) {
                if (i != self) {
                    s[k++] = sims[from + i];
                }
            }
            if (s.length == 0) {
                throw new ExfaceganException("median label rule needs at least one probe besides the reference");
            }
            Arrays.sort(s);
            float t = s[s.length / 2];
            for (int i = 0; i < n; i++) {
                out[outFrom + i] = i == self ? UNUSED : sims[from + i] >= t ? SIMILAR : DISSIMILAR;
            }
        }
    }

    /**
     * InterFaceGAN style: the {@code fraction} most similar probes are similar, the {@code fraction}
     * least similar are dissimilar, the rest unused. Ties break by probe index.
     */
    record Ratio(double fraction) implements LabelRule {
        public Ratio {
            if (!(fraction > 0 && fraction <= 0.5)) {
                throw new ExfaceganException("ratio label rule: fraction must be in (0, 0.5], got " + fraction);
            }
        }

        @Override
        public LabelRuleType type() {
            return LabelRuleType.RATIO;
        }

        @Override
        public void label(float[] sims, int from, int n, int self, byte[] out, int outFrom) {
            long[] keys = new long[self >= 0 ? n - 1 : n];
            for (int i = 0, k = 0; i < n; i++) {
                if (i != self) {
                    keys[k++] = ((long) sortable(sims[from + i]) << 32) | i;
                }
            }
            Arrays.sort(keys); // ascending similarity, then index
            int take = (int) Math.floor(fraction * keys.length + 1e-9);
            Arrays.fill(out, outFrom, outFrom + n, UNUSED);
            for (int k = 0; k < take; k++) {
                out[outFrom + (int) keys[k]] = DISSIMILAR;
                out[outFrom + (int) keys[keys.length - 1 - k]] = SIMILAR;
            }
        }

        /** An int whose signed order is the float's order (NaN last). */
        private static int sortable(float f) {
            int b = Float.floatToIntBits(f);
            return b >= 0 ? b : b ^ 0x7FFFFFFF;
        }
    }

    /** Fixed cosine threshold: similarity >= {@code cosine} is similar. */
    record Threshold(double cosine) implements LabelRule {
        public Threshold {
            if (!(cosine >= -1 && cosine <= 1)) {
                throw new ExfaceganException("threshold label rule: cosine must be in [-1, 1], got " + cosine);
            }
        }

        @Override
        public LabelRuleType type() {
            return LabelRuleType.THRESHOLD;
        }

        @Override
        public void label(float[] sims, int from, int n, int self, byte[] out, int outFrom) {
            for (int i = 0; i < n; i++) {
                out[outFrom + i] = i == self ? UNUSED : sims[from + i] >= cosine ? SIMILAR : DISSIMILAR;
            }
        }
    }
}
