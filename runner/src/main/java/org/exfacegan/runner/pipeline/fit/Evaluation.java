package org.exfacegan.runner.pipeline.fit;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Split;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/** Accuracy of raw-coordinate boundaries on the shared split, by batched products. */
final class Evaluation {
    private static final int REF_BLOCK = 480;

    private Evaluation() {}

    /** Fills {@code heldOut[r]} and, if {@code train != null}, {@code train[r]}. */
    static void accuracy(FitProblem p, Split split, float[] normals, float[] offsets, float[] heldOut, float[] train) {
        int d = p.dim();
        int[] held = split.heldOut();
        int[] rows = train == null ? held : concat(held, split.train());
        float[] xt = Gemm.transpose(gather(p.latents(), d, rows), rows.length, d);
        LabelSet labels = p.labels();
        int refs = p.references();
        float[] scores = new float[Math.min(REF_BLOCK, refs) * rows.length];
        for (int r0 = 0; r0 < refs; r0 += REF_BLOCK) {
            int nb = Math.min(REF_BLOCK, refs - r0);
            float[] block = Arrays.copyOfRange(normals, r0 * d, (r0 + nb) * d);
            Gemm.multiply(block, xt, scores, nb, d, rows.length);
            int start = r0;
            IntStream.range(0, nb).parallel().forEach(b -> {
                int r = start + b;
                byte[] side = new byte[labels.probes()];
                labels.copyRow(r, side);
                int[] okH = count(scores, b * rows.length, offsets[r], side, rows, 0, held.length);
                heldOut[r] = okH[1] == 0 ? Float.NaN : (float) okH[0] / okH[1];
                if (train != null) {
                    int[] okT = count(scores, b * rows.length, offsets[r], side, rows, held.length, rows.length);
                    train[r] = okT[1] == 0 ? Float.NaN : (float) okT[0] / okT[1];
                }
            });
        }
    }

    private static int[] count(float[] scores, int so, float offset, byte[] side, int[] rows, int from, int to) {
        int ok = 0, n = 0;
        for (int k = from; k < to; k++) {
            int s = side[rows[k]];
            int used = s & 1; // 1 for -1 and +1, 0 for unused; branch-free, the sides are random
            int predicted = scores[so + k] + offset > 0 ? 1 : -1;
            n += used;
            ok += used & (predicted == s ? 1 : 0);
        }
        return new int[] {ok, n};
    }

    static float[] gather(float[] latents, int d, int[] rows) {
        float[] x = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(latents, rows[i] * d, x, i * d, d);
        }
        return x;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
