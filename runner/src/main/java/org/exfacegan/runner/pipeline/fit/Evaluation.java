package org.exfacegan.runner.pipeline.fit;

import java.util.Arrays;
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
            for (int b = 0; b < nb; b++) {
                int r = r0 + b;
                int[] okH = count(scores, b * rows.length, offsets[r], labels, r, rows, 0, held.length);
                heldOut[r] = okH[1] == 0 ? Float.NaN : (float) okH[0] / okH[1];
                if (train != null) {
                    int[] okT = count(scores, b * rows.length, offsets[r], labels, r, rows, held.length, rows.length);
                    train[r] = okT[1] == 0 ? Float.NaN : (float) okT[0] / okT[1];
                }
            }
        }
    }

    private static int[] count(float[] scores, int so, float offset, LabelSet labels, int r, int[] rows, int from, int to) {
        int ok = 0, n = 0;
        for (int k = from; k < to; k++) {
            byte s = labels.side(r, rows[k]);
            if (s != 0) {
                n++;
                if ((scores[so + k] + offset > 0) == (s > 0)) {
                    ok++;
                }
            }
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
