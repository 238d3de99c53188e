package org.exfacegan.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.exfacegan.runtime.djl.DjlPytorchProvider;
import org.junit.jupiter.api.Test;

/** The margin losses against the formulas computed in doubles, outside libtorch. */
class MarginLossTest {
    static final int N = 5;
    static final int C = 7;
    static final int D = 6;

    @Test
    void cosfaceAndArcfaceMatchTheirFormulas() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] e = new float[N * D];
        float[] w = new float[C * D];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        long[] y = {0, 3, 6, 3, 1};
        // one target cosine near -1, so ArcFace's theta + m passes pi and the fallback is exercised
        for (int k = 0; k < D; k++) {
            e[4 * D + k] = -w[1 * D + k];
        }
        try (NDManager m = DjlPytorchProvider.engine().newBaseManager()) {
            NDArray emb = m.create(e, new Shape(N, D));
            NDArray weights = m.create(w, new Shape(C, D));
            NDArray oneHot = m.create(y).oneHot(C);
            for (MarginLoss.Type type : MarginLoss.Type.values()) {
                double margin = type == MarginLoss.Type.COSFACE ? 0.35 : 0.5;
                float got = new MarginLoss(type, 64, margin).forward(emb, weights, oneHot).loss().getFloat();
                assertEquals(expected(e, w, y, type, 64, margin), got, 1e-3 * Math.abs(got), type.name());
            }
        }
    }

    private static double expected(float[] e, float[] w, long[] y, MarginLoss.Type type, double s, double m) {
        double total = 0;
        for (int i = 0; i < N; i++) {
            double[] logits = new double[C];
            for (int j = 0; j < C; j++) {
                double dot = 0;
                double ne = 0;
                double nw = 0;
                for (int k = 0; k < D; k++) {
                    dot += e[i * D + k] * (double) w[j * D + k];
                    ne += e[i * D + k] * (double) e[i * D + k];
                    nw += w[j * D + k] * (double) w[j * D + k];
                }
                double cos = dot / Math.sqrt(ne * nw);
                if (j == y[i]) {
                    if (type == MarginLoss.Type.COSFACE) {
                        cos -= m;
                    } else {
                        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
                        cos = theta + m < Math.PI ? Math.cos(theta + m) : cos - Math.sin(Math.PI - m) * m;
                    }
                }
                logits[j] = s * cos;
            }
            double max = java.util.Arrays.stream(logits).max().orElseThrow();
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            total += -(logits[(int) y[i]] - max - Math.log(sum));
        }
        return total / N;
    }
}
