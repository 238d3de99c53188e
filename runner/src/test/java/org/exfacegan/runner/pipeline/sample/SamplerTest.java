package org.exfacegan.runner.pipeline.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final int D = 64;

    private static float[] unit(Random r) {
        float[] n = new float[D];
        double s = 0;
        for (int j = 0; j < D; j++) {
            n[j] = (float) r.nextGaussian();
            s += n[j] * n[j];
        }
        for (int j = 0; j < D; j++) {
            n[j] /= (float) Math.sqrt(s);
        }
        return n;
    }

    private static float[] point(Random r) {
        float[] w = new float[D];
        for (int j = 0; j < D; j++) {
            w[j] = (float) (2 * r.nextGaussian());
        }
        return w;
    }

    @Test
    void paperFormulaIsAPerDimensionUniformStep() {
        Random r = new Random(1);
        float[] ref = point(r), n = unit(r);
        IdentitySampler s = new PaperSampler(30);
        for (int side : new int[] {1, -1}) {
            IdentitySampler.Samples out = s.sample(ref, n, 0.25f, 42, 7, side, 0, 200);
            double maxU = 0, sumU = 0;
            for (int k = 0; k < 200; k++) {
                for (int j = 0; j < D; j++) {
                    double u = (out.latents()[k * D + j] - ref[j]) / (side * n[j]);
                    assertTrue(u >= -1e-3 && u <= 30 + 1e-3, "u = " + u);
                    maxU = Math.max(maxU, u);
                    sumU += u;
                }
                double dist = 0.25;
                for (int j = 0; j < D; j++) {
                    dist += n[j] * out.latents()[k * D + j];
                }
                assertEquals(dist, out.signedDistances()[k], 1e-3);
            }
            assertEquals(15, sumU / (200 * D), 0.5, "u ~ U(0, 30) has mean 15");
            assertTrue(maxU > 29, "u reaches towards max_dist");
            // side +1 moves to the similar side (n points there): signed distance grows on average
            double mean = Arrays.stream(toDouble(out.signedDistances())).average().orElseThrow();
            double refDist = 0.25;
            for (int j = 0; j < D; j++) {
                refDist += n[j] * ref[j];
            }
            assertEquals(side > 0, mean > refDist);
        }
    }

    @Test
    void directionalHasExactDistancesAndInPlaneVariation() {
        Random r = new Random(2);
        float[] ref = point(r), n = unit(r);
        float offset = -0.7f;
        IdentitySampler s = new DirectionalSampler(2, 5, 0.8);
        IdentitySampler.Samples out = s.sample(ref, n, offset, 9, 3, 1, 0, 400);
        double refDist = IdentitySampler.signedDistance(n, offset, ref, 0);
        double inPlaneVar = 0;
        for (int k = 0; k < 400; k++) {
            double dk = out.signedDistances()[k];
            assertTrue(dk >= 2 && dk <= 5, "d = " + dk);
            assertEquals(dk, IdentitySampler.signedDistance(n, offset, out.latents(), k * D), 1e-4);
            // w - (reference's projection) - d n lies in the plane
            double dot = 0;
            for (int j = 0; j < D; j++) {
                double v = out.latents()[k * D + j] - (ref[j] - refDist * n[j]) - dk * n[j];
                dot += v * n[j];
                inPlaneVar += v * v;
            }
            assertEquals(0, dot, 1e-3);
        }
        inPlaneVar /= 400 * (D - 1);
        assertEquals(0.64, inPlaneVar, 0.05, "in-plane variance sigma^2");
        IdentitySampler.Samples other = s.sample(ref, n, offset, 9, 3, -1, 0, 5);
        for (float dk : other.signedDistances()) {
            assertTrue(dk <= -2 && dk >= -5);
        }
        // sigma 0: exactly p + d n
        IdentitySampler.Samples flat = new DirectionalSampler(3, 3, 0).sample(ref, n, offset, 9, 3, 1, 0, 1);
        for (int j = 0; j < D; j++) {
            assertEquals(ref[j] - refDist * n[j] + 3 * n[j], flat.latents()[j], 1e-4);
        }
    }

    @Test
    void deterministicPerSeedIdentityAndIndexWhateverTheBatching() {
        Random r = new Random(3);
        float[] ref = point(r), n = unit(r);
        for (IdentitySampler s : new IdentitySampler[] {new PaperSampler(30), new DirectionalSampler(1, 4, 0.5)}) {
            IdentitySampler.Samples all = s.sample(ref, n, 0, 5, 11, 1, 0, 10);
            IdentitySampler.Samples tail = s.sample(ref, n, 0, 5, 11, 1, 6, 4);
            assertArrayEquals(Arrays.copyOfRange(all.latents(), 6 * D, 10 * D), tail.latents(), s.mode().jsonName());
            assertArrayEquals(Arrays.copyOfRange(all.signedDistances(), 6, 10), tail.signedDistances(), s.mode().jsonName());
            assertArrayEquals(all.latents(), s.sample(ref, n, 0, 5, 11, 1, 0, 10).latents());
            assertFalse(Arrays.equals(all.latents(), s.sample(ref, n, 0, 5, 12, 1, 0, 10).latents()), "other identity");
            assertFalse(Arrays.equals(all.latents(), s.sample(ref, n, 0, 6, 11, 1, 0, 10).latents()), "other seed");
        }
    }

    @Test
    void badArguments() {
        assertThrows(ExfaceganException.class, () -> new PaperSampler(0));
        assertThrows(ExfaceganException.class, () -> new DirectionalSampler(5, 2, 1));
        float[] notUnit = new float[D];
        notUnit[0] = 2;
        assertThrows(ExfaceganException.class, () -> new DirectionalSampler(1, 2, 1).sample(new float[D], notUnit, 0, 1, 0, 1, 0, 1));
        assertThrows(ExfaceganException.class, () -> new PaperSampler(30).sample(new float[D], notUnit, 0, 1, 0, 2, 0, 1));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
