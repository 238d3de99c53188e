package org.exfacegan.runner.pipeline.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;

/**
 * The probe distribution model, the in-distribution guard, the identity subspace and the subspace
 * sampler, on correlated Gaussian latents whose true identity subspace is known.
 */
class SubspaceSamplingTest {
    /** Latents x = mu + M g with a random, ill-conditioned mixing M: a strongly correlated cloud. */
    private static float[] correlated(Random r, int n, int d, double[] mix, double[] mu) {
        float[] x = new float[n * d];
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                g[j] = r.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double s = mu[j];
                for (int k = 0; k < d; k++) {
                    s += mix[j * d + k] * g[k];
                }
                x[i * d + j] = (float) s;
            }
        }
        return x;
    }

    private static double[] mixing(Random r, int d) {
        double[] m = new double[d * d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                m[j * d + k] = r.nextGaussian() * Math.pow(1 + k, -0.7);
            }
        }
        return m;
    }

    private static double[] offsets(Random r, int d) {
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
            mu[j] = 2 * r.nextGaussian();
        }
        return mu;
    }

    @Test
    void whiteningRoundTripsAndMahalanobisMatchesTheInverseCovariance() {
        Random r = new Random(1);
        int n = 400;
        int d = 7;
        float[] x = correlated(r, n, d, mixing(r, d), offsets(r, d));
        LatentDistribution dist = LatentDistribution.fit(x, n, d, "test latents");
        // covariance and mean computed the textbook way
        double[] mu = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mu[j] += x[i * d + j] / (double) n;
            }
        }
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov.add(a, b, (x[i * d + a] - mu[a]) * (x[i * d + b] - mu[b]) / n);
                }
            }
        }
        DMatrixRMaj inv = new DMatrixRMaj(d, d);
        assertTrue(CommonOps_DDRM.invert(cov, inv));
        for (int i = 0; i < 20; i++) {
            double q = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    q += (x[i * d + a] - mu[a]) * inv.get(a, b) * (x[i * d + b] - mu[b]);
                }
            }
            // the fit adds 1e-9 of the mean variance to the diagonal: negligible, but seen in the last digits
            assertEquals(Math.sqrt(q), dist.mahalanobis(x, i * d), 1e-5 * Math.sqrt(q));
            float[] back = new float[d];
            dist.colour(dist.whiten(x, i * d), back, 0);
            for (int j = 0; j < d; j++) {
                assertEquals(x[i * d + j], back[j], 1e-4);
            }
        }
        // a signed distance's spread over the latents is the length of the whitened direction
        float[] normal = {0.5f, -0.5f, 0.5f, 0.5f, 0, 0, 0};
        double[] v = dist.whitenDirection(normal);
        double var = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                var += normal[a] * cov.get(a, b) * normal[b];
            }
        }
        assertEquals(Math.sqrt(var), Math.sqrt(Arrays.stream(v).map(t -> t * t).sum()), 1e-6);
    }

    @Test
    void leaveOneOutDistanceEqualsARefitWithoutTheRow() {
        Random r = new Random(2);
        int n = 60;
        int d = 9;
        float[] x = correlated(r, n, d, mixing(r, d), offsets(r, d));
        LatentDistribution all = LatentDistribution.fit(x, n, d, "test latents");
        for (int i : new int[] {0, 17, 59}) {
            float[] rest = new float[(n - 1) * d];
            for (int k = 0, at = 0; k < n; k++) {
                if (k != i) {
                    System.arraycopy(x, k * d, rest, at++ * d, d);
                }
            }
            double refit = LatentDistribution.fit(rest, n - 1, d, "test latents").mahalanobis(x, i * d);
            assertEquals(refit, all.leaveOneOut(all.mahalanobis(x, i * d)), 1e-6 * refit, "row " + i);
            assertTrue(refit > all.mahalanobis(x, i * d), "a left-out row is farther than a fitted one");
        }
    }

    @Test
    void tooFewLatentsForTheirDimensionAreRefusedWithTheCounts() {
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> LatentDistribution.fit(new float[10 * 9], 10, 9, "accepted probes"));
        assertTrue(e.getMessage().contains("10 accepted probes for 9 latent dimensions"), e.getMessage());
        float[] flat = new float[50 * 3]; // every latent the same point: no spread at all
        assertThrows(ExfaceganException.class, () -> LatentDistribution.fit(flat, 50, 3, "accepted probes"));
    }

    @Test
    void guardFlagsOnePercentOfFreshLatentsAndMostOfInflatedOnes() {
        Random r = new Random(3);
        int n = 1500;
        int d = 60; // n / d = 25: in-sample distances are clearly smaller than those of new latents
        double[] mix = mixing(r, d);
        double[] mu = offsets(r, d);
        float[] probes = correlated(r, n, d, mix, mu);
        LatentDistribution dist = LatentDistribution.fit(probes, n, d, "probes");
        DistributionGuard guard = DistributionGuard.of(dist, probes);
        int m = 20_000;
        float[] fresh = correlated(r, m, d, mix, mu);
        int outside = 0;
        double[] inSample = new double[n];
        for (int i = 0; i < n; i++) {
            inSample[i] = dist.mahalanobis(probes, i * d);
        }
        Arrays.sort(inSample);
        double naive = inSample[(int) Math.ceil(0.99 * n) - 1];
        int naiveOutside = 0;
        for (int i = 0; i < m; i++) {
            double dd = guard.distance(fresh, i * d);
            outside += guard.outside(dd) ? 1 : 0;
            naiveOutside += dd > naive ? 1 : 0;
        }
        double share = (double) outside / m;
        assertTrue(share > 0.004 && share < 0.02, "share of fresh latents outside: " + share);
        assertTrue((double) naiveOutside / m > 2 * share, "the in-sample percentile would flag " + naiveOutside + " of " + m);
        // latents 1.5 times farther from the centre than the probes: nearly all of them outside
        float[] far = new float[1000 * d];
        float[] draw = correlated(r, 1000, d, mix, mu);
        for (int i = 0; i < far.length; i++) {
            far[i] = (float) (mu[i % d] + 1.5 * (draw[i] - mu[i % d]));
        }
        int farOutside = 0;
        for (int i = 0; i < 1000; i++) {
            farOutside += guard.outside(guard.distance(far, i * d)) ? 1 : 0;
        }
        assertTrue(farOutside > 900, "outside: " + farOutside);
    }

    /** A world: correlated latents, k true identity directions in whitened coordinates, normals made from them plus noise. */
    private record World(int d, int k, float[] probes, LatentDistribution dist, double[] truth, float[] normals, int m) {}

    private static World world(long seed, int d, int k, int m, double noise) {
        return world(seed, d, k, m, noise, 1);
    }

    /** {@code lastWeight}: the weight of the last identity direction in the normals, relative to the others. */
    private static World world(long seed, int d, int k, int m, double noise, double lastWeight) {
        Random r = new Random(seed);
        int n = 3000;
        float[] probes = correlated(r, n, d, mixing(r, d), offsets(r, d));
        LatentDistribution dist = LatentDistribution.fit(probes, n, d, "probes");
        // true identity subspace: k orthonormal whitened directions
        double[] truth = new double[k * d];
        for (int a = 0; a < k; a++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = r.nextGaussian();
            }
            for (int b = 0; b < a; b++) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += v[j] * truth[b * d + j];
                }
                for (int j = 0; j < d; j++) {
                    v[j] -= p * truth[b * d + j];
                }
            }
            System.arraycopy(IdentitySubspace.unit(v), 0, truth, a * d, d);
        }
        // normal r: whitened direction = random mix of the identity directions + noise; raw normal = L^-T of it
        float[] normals = new float[m * d];
        for (int q = 0; q < m; q++) {
            double[] v = new double[d];
            for (int a = 0; a < k; a++) {
                // unequal weights, as recognisers weigh identity factors unequally
                double c = r.nextGaussian() * (1 + 0.5 * (a % 3)) * (a == k - 1 ? lastWeight : 1);
                for (int j = 0; j < d; j++) {
                    v[j] += c * truth[a * d + j];
                }
            }
            double len = Math.sqrt(Arrays.stream(v).map(t -> t * t).sum());
            for (int j = 0; j < d; j++) {
                v[j] = v[j] / len + noise * r.nextGaussian() / Math.sqrt(d);
            }
            float[] raw = rawDirection(dist, v);
            System.arraycopy(raw, 0, normals, q * d, d);
        }
        return new World(d, k, probes, dist, truth, normals, m);
    }

    /** The raw unit normal whose whitened direction is v: solves L^T n = v by trying the d unit vectors (d is small). */
    private static float[] rawDirection(LatentDistribution dist, double[] v) {
        int d = v.length;
        DMatrixRMaj lt = new DMatrixRMaj(d, d);
        for (int j = 0; j < d; j++) {
            float[] e = new float[d];
            e[j] = 1;
            double[] col = dist.whitenDirection(e);
            for (int i = 0; i < d; i++) {
                lt.set(i, j, col[i]);
            }
        }
        DMatrixRMaj n = new DMatrixRMaj(d, 1);
        assertTrue(CommonOps_DDRM.solve(lt, new DMatrixRMaj(d, 1, true, v), n));
        double len = Math.sqrt(Arrays.stream(n.data).map(t -> t * t).sum());
        float[] out = new float[d];
        for (int i = 0; i < d; i++) {
            out[i] = (float) (n.data[i] / len);
        }
        return out;
    }

    /** Largest |sin| of the principal angles between the estimated basis and the true subspace. */
    private static double largestAngleSine(double[] basis, int rank, double[] truth, int k, int d) {
        double worst = 0;
        for (int a = 0; a < rank; a++) {
            double inside = 0;
            for (int b = 0; b < k; b++) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += basis[a * d + j] * truth[b * d + j];
                }
                inside += p * p;
            }
            worst = Math.max(worst, Math.sqrt(Math.max(0, 1 - inside)));
        }
        return worst;
    }

    @Test
    void crossValidatedRankFindsTheTrueSubspace() {
        for (int[] c : new int[][] {{24, 5}, {30, 8}, {12, 2}}) {
            World w = world(10 + c[1], c[0], c[1], 200, 0.3);
            IdentitySubspace s = IdentitySubspace.estimate(w.normals(), w.m(), w.dist(), null);
            assertEquals(c[1], s.rank(), "rank in " + c[0] + " dims; spectrum " + Arrays.toString(s.spectrum()));
            assertEquals("cross-validated", s.chosen());
            assertTrue(largestAngleSine(s.basis(), s.rank(), w.truth(), w.k(), w.d()) < 0.15, "subspace found");
            assertEquals(1, Arrays.stream(s.spectrum()).sum(), 1e-9);
            for (int i = 1; i < s.spectrum().length; i++) {
                assertTrue(s.spectrum()[i] <= s.spectrum()[i - 1], "spectrum descending");
            }
        }
        // a direction the boundaries barely use captures less of an unseen normal than a random direction: left out
        World weak = world(41, 20, 4, 200, 0.3, 0.15);
        assertEquals(3, IdentitySubspace.estimate(weak.normals(), weak.m(), weak.dist(), null).rank());
        World w = world(5, 20, 4, 100, 0.3);
        IdentitySubspace fixed = IdentitySubspace.estimate(w.normals(), w.m(), w.dist(), 7);
        assertEquals(7, fixed.rank());
        assertEquals("config", fixed.chosen());
        // one boundary: its own direction is all there is
        IdentitySubspace one = IdentitySubspace.estimate(Arrays.copyOf(w.normals(), 20), 1, w.dist(), null);
        assertEquals(1, one.rank());
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> IdentitySubspace.estimate(w.normals(), w.m(), w.dist(), 20));
        assertTrue(e.getMessage().contains("rank 20 must be in [1, 19]"), e.getMessage());
    }

    @Test
    void samplesKeepTheIdentityCoordinatesAndVaryLikeTheProbesElsewhere() {
        World w = world(21, 16, 4, 150, 0.2);
        int d = w.d();
        IdentitySubspace s = IdentitySubspace.estimate(w.normals(), w.m(), w.dist(), null);
        assertEquals(4, s.rank());
        float[] ref = Arrays.copyOfRange(w.probes(), 5 * d, 6 * d);
        float[] normal = Arrays.copyOf(w.normals(), d);
        SubspaceSampler sampler = new SubspaceSampler(w.dist(), s, 0, 1);
        int count = 3000;
        IdentitySampler.Samples out = sampler.sample(ref, normal, 0.3f, 77, 4, 1, 0, count);
        double[] refCoords = s.coordinates(w.dist().whiten(ref, 0));
        double[] second = new double[d * d];
        double meanSq = 0;
        for (int k = 0; k < count; k++) {
            double[] y = w.dist().whiten(out.latents(), k * d);
            assertArrayEquals(refCoords, s.coordinates(y), 1e-3, "identity coordinates kept");
            double[] rest = y.clone();
            double[] inside = s.span(s.coordinates(y));
            for (int j = 0; j < d; j++) {
                rest[j] -= inside[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    second[a * d + b] += rest[a] * rest[b] / count;
                }
            }
            meanSq += Arrays.stream(y).map(t -> t * t).sum() / count;
            assertEquals(IdentitySampler.signedDistance(normal, 0.3f, out.latents(), k * d), out.signedDistances()[k], 1e-4);
        }
        // outside the subspace the whitened variation is the identity matrix restricted to the complement: I - P
        for (int a = 0; a < d; a++) {
            double[] e = new double[d];
            e[a] = 1;
            double[] p = s.span(s.coordinates(e));
            for (int b = 0; b < d; b++) {
                double expected = (a == b ? 1 : 0) - p[b];
                assertEquals(expected, second[a * d + b], 0.08, "complement covariance (" + a + ", " + b + ")");
            }
        }
        // as far from the centre as the probes are: |y|^2 = |P y_ref|^2 + chi^2(d - rank)
        assertEquals(Arrays.stream(refCoords).map(t -> t * t).sum() + (d - s.rank()), meanSq, 0.5);

        // variation 0: every sample is the reference's identity part; step moves it along the own normal
        IdentitySampler.Samples still = new SubspaceSampler(w.dist(), s, 0, 0).sample(ref, normal, 0.3f, 77, 4, 1, 0, 3);
        assertArrayEquals(Arrays.copyOf(still.latents(), d), Arrays.copyOfRange(still.latents(), 2 * d, 3 * d));
        IdentitySampler.Samples stepped = new SubspaceSampler(w.dist(), s, 1.5, 0).sample(ref, normal, 0.3f, 77, 4, 1, 0, 1);
        double spread = Math.sqrt(Arrays.stream(w.dist().whitenDirection(normal)).map(t -> t * t).sum());
        double moved = (stepped.signedDistances()[0] - still.signedDistances()[0]) / spread;
        double inPlane = Arrays.stream(s.span(s.coordinates(IdentitySubspace.unit(w.dist().whitenDirection(normal)))))
                .map(t -> t * t).sum();
        assertEquals(1.5 * inPlane, moved, 1e-3, "step 1.5 spreads along the normal's part inside the subspace");
        assertTrue(inPlane > 0.9, "the normal lies mostly in the subspace: " + inPlane);
    }

    @Test
    void subspaceDrawsAreDeterministicPerIndexAndRefuseTheOtherSide() {
        World w = world(31, 10, 3, 60, 0.2);
        int d = w.d();
        IdentitySubspace s = IdentitySubspace.estimate(w.normals(), w.m(), w.dist(), null);
        SubspaceSampler sampler = new SubspaceSampler(w.dist(), s, 0.5, 1);
        float[] ref = Arrays.copyOf(w.probes(), d);
        float[] n = Arrays.copyOf(w.normals(), d);
        IdentitySampler.Samples all = sampler.sample(ref, n, 0, 5, 11, 1, 0, 10);
        IdentitySampler.Samples tail = sampler.sample(ref, n, 0, 5, 11, 1, 6, 4);
        assertArrayEquals(Arrays.copyOfRange(all.latents(), 6 * d, 10 * d), tail.latents());
        assertFalse(Arrays.equals(all.latents(), sampler.sample(ref, n, 0, 5, 12, 1, 0, 10).latents()), "other identity");
        assertFalse(Arrays.equals(all.latents(), sampler.sample(ref, n, 0, 6, 11, 1, 0, 10).latents()), "other seed");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> sampler.sample(ref, n, 0, 5, 11, -1, 0, 1));
        assertTrue(e.getMessage().contains("side +1"), e.getMessage());
        assertThrows(ExfaceganException.class, () -> new SubspaceSampler(w.dist(), s, -1, 1));
        assertThrows(ExfaceganException.class, () -> new SubspaceSampler(w.dist(), s, 0, Double.NaN));
        assertThrows(ExfaceganException.class, () -> sampler.sample(new float[d + 1], new float[d + 1], 0, 5, 11, 1, 0, 1));
    }
}
