package org.exfacegan.runner.pipeline.sample;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/**
 * The identity subspace spanned by all references' boundary normals, in whitened latent
 * coordinates ({@link LatentDistribution}). Every normal says which direction changes the face
 * recogniser's opinion of one identity; together they span the directions identity lives in. In
 * whitened coordinates the estimation noise of a normal is roughly the same in every direction, so
 * the eigenvectors of {@code M = mean(n_r n_r^T)} (whitened unit normals) ordered by their share of
 * variance separate identity from noise.
 *
 * <p><b>Rank.</b> Given, or chosen by cross-validation: the eigenvectors of one half of the normals
 * (even / odd references) capture a share {@code C(k)} of the other half's normals; a random direction
 * would have {@code k / dim}. The rank maximises {@code C(k) - k / dim}: a component is kept when it
 * captures more of unseen normals than a random direction would, i.e. when it generalises across
 * identities rather than fitting one boundary's noise. Nothing here depends on a particular GAN.
 *
 * @param dim       latent dimension
 * @param count     normals used
 * @param spectrum  share of variance of each eigenvector of M, descending (sums to 1)
 * @param heldOut   C(k) for k = 0..dim: mean share of a held-out normal inside the first k components of the other half
 * @param rank      the rank used
 * @param chosen    "cross-validated" or "config"
 * @param basis     orthonormal basis of the subspace, {@code rank} rows of {@code dim} (whitened coordinates)
 */
public record IdentitySubspace(int dim, int count, double[] spectrum, double[] heldOut, int rank, String chosen, double[] basis) {

    /**
     * @param normals unit normals [count x dim] in raw latent coordinates
     * @param rank    the rank to use, or null to choose it by cross-validation
     */
    public static IdentitySubspace estimate(float[] normals, int count, LatentDistribution dist, Integer rank) {
        int d = dist.dim();
        if (count < 1) {
            throw new ExfaceganException("identity subspace: no boundaries");
        }
        if (rank != null && (rank < 1 || rank >= d)) {
            throw new ExfaceganException("identity subspace: rank " + rank + " must be in [1, " + (d - 1) + "] for "
                    + d + " latent dimensions");
        }
        double[][] white = new double[count][];
        for (int r = 0; r < count; r++) {
            float[] n = Arrays.copyOfRange(normals, r * d, (r + 1) * d);
            white[r] = unit(dist.whitenDirection(n));
        }
        Eigen all = eigen(white, 0, 1, d);
        double[] heldOut = crossValidated(white, d);
        int k;
        String chosen;
        if (rank != null) {
            k = rank;
            chosen = "config";
        } else {
            k = 1;
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 1; j < d; j++) {
                double score = heldOut[j] - (double) j / d;
                if (score > best + 1e-12) {
                    best = score;
                    k = j;
                }
            }
            chosen = "cross-validated";
        }
        k = Math.min(k, Math.min(count, d - 1));
        double[] basis = Arrays.copyOf(all.vectors, k * d);
        return new IdentitySubspace(d, count, all.values, heldOut, k, chosen, basis);
    }

    /** Eigenvalues (descending, as shares of their sum) and eigenvectors (rows) of mean(v v^T) over rows start, start+step, ... */
    private record Eigen(double[] values, double[] vectors) {}

    private static Eigen eigen(double[][] v, int start, int step, int d) {
        double[] rows = rows(v, start, step, d);
        int used = rows.length / d;
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        Gemm.gram(rows, used, d, m.data);
        EigenDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.eig(d, true, true);
        if (!e.decompose(m)) {
            throw new ExfaceganException("identity subspace: eigendecomposition of " + used + " normals failed");
        }
        Integer[] order = new Integer[d];
        double[] values = new double[d];
        double total = 0;
        for (int i = 0; i < d; i++) {
            order[i] = i;
            values[i] = Math.max(0, e.getEigenvalue(i).getReal());
            total += values[i];
        }
        // descending; ties by index keep the order the same on every run
        Arrays.sort(order, (a, b) -> values[b] != values[a] ? Double.compare(values[b], values[a]) : Integer.compare(a, b));
        double[] sorted = new double[d];
        double[] vectors = new double[d * d];
        for (int i = 0; i < d; i++) {
            sorted[i] = total > 0 ? values[order[i]] / total : 0;
            DMatrixRMaj vec = e.getEigenVector(order[i]);
            double[] u = unit(Arrays.copyOf(vec.data, d));
            // a fixed sign (largest entry positive) so the basis never depends on the solver's choice
            int big = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(u[j]) > Math.abs(u[big])) {
                    big = j;
                }
            }
            double s = u[big] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                vectors[i * d + j] = s * u[j];
            }
        }
        return new Eigen(sorted, vectors);
    }

    /**
     * C(k), k = 0..d: the share of each held-out normal inside the first k eigenvectors of the other
     * half (even vs odd references, both ways, averaged). Components beyond the half's own count
     * span nothing it saw, so they are not credited.
     */
    private static double[] crossValidated(double[][] v, int d) {
        double[] c = new double[d + 1];
        if (v.length < 2) {
            Arrays.fill(c, 1, d + 1, Double.NaN);
            return c;
        }
        int pairs = 0;
        for (int half = 0; half < 2; half++) {
            int size = (v.length - half + 1) / 2;
            Eigen e = eigen(v, half, 2, d);
            double[] held = rows(v, 1 - half, 2, d);
            int n = held.length / d;
            // coordinates of every held-out normal on every eigenvector: held [n x d] times vectors^T [d x d]
            double[] vt = new double[d * d];
            for (int k = 0; k < d; k++) {
                for (int j = 0; j < d; j++) {
                    vt[j * d + k] = e.vectors[k * d + j];
                }
            }
            double[] proj = new double[n * d];
            Gemm.multiply(held, vt, proj, n, d, d);
            for (int r = 0; r < n; r++) {
                double cum = 0;
                for (int k = 0; k < d; k++) {
                    if (k < size) {
                        cum += proj[r * d + k] * proj[r * d + k];
                    }
                    c[k + 1] += cum;
                }
                pairs++;
            }
        }
        for (int k = 0; k <= d; k++) {
            c[k] /= pairs;
        }
        return c;
    }

    /** Rows start, start+step, ... of v, flattened. */
    private static double[] rows(double[][] v, int start, int step, int d) {
        int n = (v.length - start + step - 1) / step;
        double[] out = new double[Math.max(n, 0) * d];
        for (int r = start, i = 0; r < v.length; r += step, i++) {
            System.arraycopy(v[r], 0, out, i * d, d);
        }
        return out;
    }

    /** Coordinates of y in the subspace: {@code U y} (rank values). */
    public double[] coordinates(double[] y) {
        double[] a = new double[rank];
        for (int k = 0; k < rank; k++) {
            double s = 0;
            for (int j = 0; j < dim; j++) {
                s += basis[k * dim + j] * y[j];
            }
            a[k] = s;
        }
        return a;
    }

    /** {@code U^T a}: the whitened vector with subspace coordinates a. */
    public double[] span(double[] a) {
        double[] y = new double[dim];
        for (int k = 0; k < rank; k++) {
            for (int j = 0; j < dim; j++) {
                y[j] += a[k] * basis[k * dim + j];
            }
        }
        return y;
    }

    /** Share of the normals' variance in the subspace used. */
    public double explained() {
        double s = 0;
        for (int k = 0; k < rank; k++) {
            s += spectrum[k];
        }
        return s;
    }

    static double[] unit(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double norm = Math.sqrt(s);
        if (!(norm > 0)) {
            throw new ExfaceganException("identity subspace: a boundary normal is zero in whitened coordinates");
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }
}
