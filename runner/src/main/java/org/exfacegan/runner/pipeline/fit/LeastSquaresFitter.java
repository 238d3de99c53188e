package org.exfacegan.runner.pipeline.fit;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRBlock;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DSubmatrixD1;
import org.ejml.dense.block.MatrixOps_DDRB;
import org.ejml.dense.block.TriangularSolver_DDRB;
import org.ejml.dense.block.decomposition.chol.CholeskyOuterForm_DDRB;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.pipeline.label.LabelSet;
import org.exfacegan.runner.pipeline.label.Split;
import org.exfacegan.runner.pipeline.linalg.Gemm;

/**
 * Ridge least squares for all references at once. Every reference is fitted on the same training
 * probes (one seeded split shared by all), so one centred Gram matrix {@code G = Xc^T Xc + lambda I},
 * one Cholesky factorisation (EJML) and one multi-right-hand-side solve serve all references.
 * With lambda = 1/(2C) (the default) this is the SVM's regularised problem with the squared loss.
 * Labels enter as balanced targets: +m/(2 m+) for the m+ similar and -m/(2 m-) for the m-
 * dissimilar training probes (0 for unused ones), so each side weighs the same whatever the
 * counts and the targets sum to zero (the fit is then Fisher's LDA direction up to scale, and
 * {@code X^T y = Xc^T y} needs no centring). The offset is {@code -mean(x).w}.
 */
final class LeastSquaresFitter implements BoundaryFitter {
    private static final int REF_BLOCK = 480;
    private static final int EJML_BLOCK = 64;
    private final FitOptions options;

    LeastSquaresFitter(FitOptions options) {
        this.options = options;
    }

    @Override
    public FitterType type() {
        return FitterType.LEAST_SQUARES;
    }

    @Override
    public Boundaries fit(FitProblem p) {
        Split split = p.sharedSplit();
        Raw raw = solve(p, split);
        int refs = p.references(), d = p.dim();
        float[] normals = raw.w;
        float[] offsets = new float[refs];
        for (int r = 0; r < refs; r++) {
            double norm = Math.sqrt(Gemm.dot(normals, r * d, normals, r * d, d));
            if (!(norm > 0)) {
                throw new ExfaceganException("least-squares: reference " + r + " has a zero normal (labels carry no signal)");
            }
            for (int j = 0; j < d; j++) {
                normals[r * d + j] /= (float) norm;
            }
            offsets[r] = (float) (raw.b[r] / norm);
        }
        return Evaluation.boundaries(p, split, normals, offsets, options.evaluateTrain());
    }

    /** Unnormalised solutions: {@code w [refs x d]} and {@code b [refs]}, decision w.x + b. */
    record Raw(float[] w, double[] b) {}

    Raw solve(FitProblem p, Split split) {
        int d = p.dim(), refs = p.references();
        int[] rows = split.train();
        int nt = rows.length;
        float[] xt = Evaluation.gather(p.latents(), d, rows);
        double[] mean = new double[d];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += xt[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= nt;
        }
        float[] linv = inverseCholeskyFactor(xt, nt, d, mean);
        float[] linvT = Gemm.transpose(linv, d, d);

        LabelSet labels = p.labels();
        float[] w = new float[refs * d];
        double[] b = new double[refs];
        float[] y = new float[Math.min(REF_BLOCK, refs) * nt];
        float[] c = new float[Math.min(REF_BLOCK, refs) * d];
        float[] t = new float[c.length];
        for (int start = 0; start < refs; start += REF_BLOCK) {
            int r0 = start;
            int nb = Math.min(REF_BLOCK, refs - r0);
            long[] counts = new long[nb];
            IntStream.range(0, nb).parallel().forEach(k -> counts[k] = targets(labels, r0 + k, rows, y, k * nt));
            for (int k = 0; k < nb; k++) { // the lowest failing reference, whatever the threads
                int pos = (int) (counts[k] >>> 32), neg = (int) counts[k];
                if (pos == 0 || neg == 0) {
                    throw new ExfaceganException("reference " + (r0 + k) + " has " + pos + " similar and " + neg
                            + " dissimilar probes in the training split; both sides are needed to fit a boundary");
                }
            }
            Gemm.multiply(y, xt, c, nb, nt, d);           // X^T y for the block: the dominant product
            Gemm.multiply(c, linvT, t, nb, d, d);         // (G^-1 X^T y)^T = c L^-T L^-1
            Gemm.multiply(t, linv, c, nb, d, d);
            System.arraycopy(c, 0, w, r0 * d, nb * d);
        }
        for (int r = 0; r < refs; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += mean[j] * w[r * d + j];
            }
            b[r] = -s;
        }
        return new Raw(w, b);
    }

    /** Balanced regression targets of reference r over the training rows; returns (similar << 32) | dissimilar counts. */
    private static long targets(LabelSet labels, int r, int[] rows, float[] y, int yo) {
        byte[] side = new byte[labels.probes()];
        labels.copyRow(r, side);
        int[] counts = new int[3]; // indexed by side + 1; branch-free, the sides are random
        for (int row : rows) {
            counts[side[row] + 1]++;
        }
        int neg = counts[0], pos = counts[2];
        float[] code = {(float) (-(pos + neg) / (2.0 * neg)), 0f, (float) ((pos + neg) / (2.0 * pos))};
        for (int i = 0; i < rows.length; i++) {
            y[yo + i] = code[side[rows[i]] + 1];
        }
        return ((long) pos << 32) | neg;
    }

    /**
     * L^-1 (lower triangular, float) for the Cholesky factor of the centred Gram matrix plus ridge,
     * so that G^-1 = L^-T L^-1. The Gram matrix is accumulated in double.
     */
    private float[] inverseCholeskyFactor(float[] xt, int nt, int d, double[] mean) {
        double[] xc = new double[nt * d];
        for (int i = 0; i < nt; i++) {
            for (int j = 0; j < d; j++) {
                xc[i * d + j] = xt[i * d + j] - mean[j];
            }
        }
        double[] g = new double[d * d];
        Gemm.gram(xc, nt, d, g);
        double lambda = options.ridge() > 0 ? options.ridge() : 1e-12; // ridge 0: keep the factorisation defined
        for (int j = 0; j < d; j++) {
            g[j * d + j] += lambda;
        }
        // EJML's blocked Cholesky and triangular inverse: several times faster than the row-major ones at d = 512
        CholeskyOuterForm_DDRB chol = new CholeskyOuterForm_DDRB(true);
        DMatrixRBlock l = MatrixOps_DDRB.convert(DMatrixRMaj.wrap(d, d, g), EJML_BLOCK);
        if (!chol.decompose(l)) {
            throw new ExfaceganException("least-squares: the Gram matrix of " + nt + " training latents x " + d
                    + " dims is not positive definite; raise the ridge (now " + options.ridge() + ")");
        }
        DMatrixRBlock inv = new DMatrixRBlock(d, d, EJML_BLOCK);
        TriangularSolver_DDRB.invert(EJML_BLOCK, false, new DSubmatrixD1(chol.getT(null)), new DSubmatrixD1(inv), null);
        DMatrixRMaj li = MatrixOps_DDRB.convert(inv, (DMatrixRMaj) null);
        float[] out = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                out[i * d + j] = (float) li.data[i * d + j];
            }
        }
        return out;
    }
}
