package org.exfacegan.runner.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics against small cases worked out by hand (the working is in the comments). */
class MetricsTest {
    // thresholds t (accept s >= t) | FNMR = #G < t / 4 | FMR = #I >= t / 5
    //  0.1: 0    1.0    0.2: 0    0.8    0.3: 0    0.6    0.4: 0    0.4    0.5: 0.25 0.4
    //  0.6: 0.25 0.2    0.7: 0.5  0.2    0.8: 0.5  0      0.9: 0.75 0      inf: 1   0
    private static final double[] G = {0.9, 0.8, 0.6, 0.4};
    private static final double[] I = {0.1, 0.3, 0.5, 0.7, 0.2};

    @Test
    void eerFollowsPyeer() {
        // FMR - FNMR first <= 0 at t2 = 0.6 (-0.05); t1 = 0.5; FMR+FNMR: 0.65 at t1, 0.45 at t2 -> t2; EER = 0.45 / 2
        ErrorRates r = ErrorRates.of(G, I);
        assertEquals(0.225, r.eer(), 1e-12);
        assertEquals(0.6, r.eerThreshold(), 1e-12);
    }

    @Test
    void eerOfSeparatedAndTiedScores() {
        // separated: at t = 0.8 FMR = FNMR = 0 exactly -> EER 0
        assertEquals(0.0, ErrorRates.of(new double[] {0.9, 0.8}, new double[] {0.1, 0.2}).eer(), 1e-12);
        // G {0.8, 0.6}, I {0.2, 0.6}: t=0.6 FMR 0.5 FNMR 0; t=0.8 FMR 0 FNMR 0.5: equal sums, t1 kept -> 0.25
        ErrorRates tied = ErrorRates.of(new double[] {0.8, 0.6}, new double[] {0.2, 0.6});
        assertEquals(0.25, tied.eer(), 1e-12);
        assertEquals(0.6, tied.eerThreshold(), 1e-12);
        // identical distributions: no threshold separates them; EER 0.5
        assertEquals(0.5, ErrorRates.of(new double[] {0.5, 0.5}, new double[] {0.5, 0.5}).eer(), 1e-12);
    }

    @Test
    void fnmrAtFmrTakesTheSmallestThresholdWithinTheTarget() {
        ErrorRates r = ErrorRates.of(G, I);
        assertEquals(0.25, r.fnmrAtFmr(0.2), 1e-12); // t = 0.6: FMR 0.2 <= 0.2
        assertEquals(0.6, r.thresholdAtFmr(0.2), 1e-12);
        assertEquals(0.5, r.fnmrAtFmr(0.19), 1e-12); // t = 0.8: first FMR below 0.2
        assertEquals(0.5, r.fnmrAtFmr(1e-2), 1e-12);
        assertEquals(0.5, r.fnmrAtFmr(1e-3), 1e-12);
        assertEquals(0.0, r.fnmrAtFmr(0.4), 1e-12); // t = 0.4
        assertEquals(0.0, r.fnmrAtFmr(1.0), 1e-12);
        double[][] det = r.det();
        assertArrayEquals(new double[] {1, 0.8, 0.6, 0.4, 0.4, 0.2, 0.2, 0, 0, 0}, det[0], 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0.25, 0.25, 0.5, 0.5, 0.75, 1}, det[1], 1e-12);
    }

    @Test
    void fisherRatioAndDecidability() {
        // G {0.9, 0.7}: mean 0.8, variance 0.01; I {0.1, 0.3, 0.2, 0.2}: mean 0.2, variance 0.005 (population)
        ScoreStats g = ScoreStats.of(new double[] {0.9, 0.7});
        ScoreStats im = ScoreStats.of(new double[] {0.1, 0.3, 0.2, 0.2});
        assertEquals(0.8, g.mean(), 1e-12);
        assertEquals(0.1, g.std(), 1e-12);
        assertEquals(Math.sqrt(0.005), im.std(), 1e-12);
        Separability s = Separability.of(g, im);
        assertEquals(0.36 / 0.015, s.fdr(), 1e-9); // 24
        assertEquals(0.6 / Math.sqrt(0.0075), s.dPrime(), 1e-9); // 6.928
    }

    @Test
    void diversityConsistencyAndLookAlikes() {
        float[][] a = {{1, 0}, {0, 1}, {1, 0}}; // pair cosines 0, 1, 0 -> diversity 1 - 1/3
        float[][] b = {{1, 0}}; // one image: no pairs, left out of diversity
        float[][] c = {{0.6f, 0.8f}, {0.6f, 0.8f}}; // identical -> diversity 0
        List<float[][]> ids = List.of(a, b, c);
        assertEquals((2.0 / 3 + 0) / 2, IdentityStats.diversity(ids), 1e-6);
        // centres: a (2,1)/sqrt5, b (1,0), c (0.6,0.8); cos(a,b) = 0.894, cos(a,c) = 0.894, cos(b,c) = 0.6
        assertArrayEquals(new long[] {2, 3}, IdentityStats.lookAlikes(ids, 0.7));
        assertArrayEquals(new long[] {3, 3}, IdentityStats.lookAlikes(ids, 0.5));
        // consistency: a vs reference (1,0): 1, 0, 1; c vs (0.6,0.8): 1, 1 -> mean 4/5, worst identity 2/3
        double[] cons = IdentityStats.consistency(List.of(a, c), List.of(new float[] {1, 0}, new float[] {0.6f, 0.8f}));
        assertEquals(0.8, cons[0], 1e-6);
        assertEquals(2.0 / 3, cons[1], 1e-6);
    }

    @Test
    void pairScoresEnumerateOrSample() {
        List<float[][]> ids = List.of(new float[][] {{1, 0}, {0, 1}}, new float[][] {{1, 0}});
        PairScores all = PairScores.of(ids, 100, 1);
        assertArrayEquals(new double[] {0}, all.genuine(), 1e-12);
        assertArrayEquals(new double[] {1, 0}, all.impostor(), 1e-12);
        assertFalse(all.genuineSampled() || all.impostorSampled());

        // a larger set over the cap: sampled, reproducible, and every sampled score is a real pair's score
        List<float[][]> many = new java.util.ArrayList<>();
        java.util.Random rnd = new java.util.Random(3);
        for (int a = 0; a < 20; a++) {
            float[][] e = new float[5][];
            for (int k = 0; k < 5; k++) {
                float x = (float) rnd.nextGaussian();
                float y = (float) rnd.nextGaussian();
                float n = (float) Math.hypot(x, y);
                e[k] = new float[] {x / n, y / n};
            }
            many.add(e);
        }
        PairScores full = PairScores.of(many, Long.MAX_VALUE / 4, 7);
        assertEquals(20 * 10, full.genuine().length);
        assertEquals((100 * 100 - 20 * 25) / 2, full.impostor().length);
        PairScores s1 = PairScores.of(many, 50, 7);
        PairScores s2 = PairScores.of(many, 50, 7);
        assertTrue(s1.genuineSampled() && s1.impostorSampled());
        assertEquals(50, s1.genuine().length);
        assertArrayEquals(s1.impostor(), s2.impostor(), 0);
        java.util.Set<Double> genuine = new java.util.HashSet<>();
        for (double v : full.genuine()) {
            genuine.add(v);
        }
        java.util.Set<Double> impostor = new java.util.HashSet<>();
        for (double v : full.impostor()) {
            impostor.add(v);
        }
        for (double v : s1.genuine()) {
            assertTrue(genuine.contains(v), "sampled genuine score " + v + " is no within-identity pair");
        }
        for (double v : s1.impostor()) {
            assertTrue(impostor.contains(v), "sampled impostor score " + v + " is no between-identity pair");
        }
    }
}
