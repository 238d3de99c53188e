package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityTest {
    /** Landmarks of a face somewhere in a big image: the template moved by a known similarity plus noise. */
    private static float[] faceIn(Similarity placement, Random rnd, double noise) {
        float[] pts = placement.apply(FaceTemplate.arcface());
        for (int i = 0; i < pts.length; i++) {
            pts[i] += (float) (rnd.nextGaussian() * noise);
        }
        return pts;
    }

    @Test
    void mapsFivePointsOntoTheTemplate() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            double angle = (rnd.nextDouble() - 0.5) * 2.5;
            double scale = 0.3 + rnd.nextDouble() * 9;
            Similarity placement = new Similarity(scale * Math.cos(angle), scale * Math.sin(angle),
                    rnd.nextDouble() * 2000 - 500, rnd.nextDouble() * 2000 - 500);
            float[] lm = faceIn(placement, rnd, 0.1 * scale);
            float[] mapped = FaceTemplate.toArcFace(lm).apply(lm);
            float[] t = FaceTemplate.arcface();
            for (int i = 0; i < 5; i++) {
                double err = Math.hypot(mapped[2 * i] - t[2 * i], mapped[2 * i + 1] - t[2 * i + 1]);
                assertTrue(err < 0.5, "trial " + trial + " point " + i + " off by " + err + " px");
            }
        }
    }

    @Test
    void recoversAnExactSimilarityAndItsInverse() {
        Similarity s = new Similarity(2.0 * Math.cos(0.3), 2.0 * Math.sin(0.3), 40, -12);
        float[] src = {1, 2, 30, 5, 17, 40, 3, 60, 50, 55};
        Similarity fit = Similarity.estimate(src, s.apply(src));
        assertEquals(s.a(), fit.a(), 1e-6);
        assertEquals(s.b(), fit.b(), 1e-6);
        assertEquals(s.tx(), fit.tx(), 1e-4);
        assertEquals(s.ty(), fit.ty(), 1e-4);
        double[] back = fit.inverse().apply(fit.apply(3.5, -7.25)[0], fit.apply(3.5, -7.25)[1]);
        assertEquals(3.5, back[0], 1e-9);
        assertEquals(-7.25, back[1], 1e-9);
        assertEquals(2.0, fit.scale(), 1e-6);
    }

    @Test
    void leastSquaresBeatsAnyPerturbedTransform() {
        Random rnd = new Random(3);
        float[] lm = faceIn(new Similarity(3, 0.5, 100, 200), rnd, 4);
        Similarity fit = FaceTemplate.toArcFace(lm);
        double best = residual(fit, lm);
        for (int i = 0; i < 100; i++) {
            Similarity p = new Similarity(fit.a() + rnd.nextGaussian() * 1e-3, fit.b() + rnd.nextGaussian() * 1e-3,
                    fit.tx() + rnd.nextGaussian() * 0.1, fit.ty() + rnd.nextGaussian() * 0.1);
            assertTrue(residual(p, lm) >= best - 1e-9);
        }
    }

    private static double residual(Similarity s, float[] lm) {
        float[] m = s.apply(lm);
        float[] t = FaceTemplate.arcface();
        double r = 0;
        for (int i = 0; i < 10; i++) {
            r += (m[i] - t[i]) * (double) (m[i] - t[i]);
        }
        return r;
    }

    @Test
    void coincidentPointsAreRejected() {
        float[] same = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
        assertThrows(IllegalArgumentException.class, () -> Similarity.estimate(same, FaceTemplate.arcface()));
    }
}
