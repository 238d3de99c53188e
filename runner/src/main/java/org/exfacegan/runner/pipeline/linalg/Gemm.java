package org.exfacegan.runner.pipeline.linalg;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Dense row-major matrix products {@code C = A B} for the boundary fitter's hot products (X^T Y at
 * paper size is 3,498 x 512 x 5,000). EJML does the factorisations; this class only multiplies.
 * With {@code jdk.incubator.vector} in the JVM (launch with {@code --add-modules
 * jdk.incubator.vector}) a register-blocked Vector API kernel runs, else a plain-Java one.
 * Work is split over row blocks of C, each computed by one task in a fixed order, and every
 * kernel computes each element the same way (fused multiply-adds in depth order), so results are
 * bit-identical whatever the thread count, the kernel, or the CPU's vector width: a run resumed
 * in a JVM without the Vector API writes the same files.
 */
public final class Gemm {
    /** Rows of C per parallel task: a multiple of the vector kernel's 6-row register block. */
    static final int ROW_BLOCK = 96;
    /** Depth of one pass over A's columns / B's rows, sized so a B panel stays in L1/L2. */
    static final int DEPTH_BLOCK = 128;

    interface Kernel {
        /** B in the layout {@link #rows} reads (the kernel may copy it into contiguous panels). */
        default float[] pack(float[] b, int inner, int cols) {
            return b;
        }

        default double[] pack(double[] b, int inner, int cols) {
            return b;
        }

        /** C[r0..r1) = A[r0..r1) B over the full depth, B as {@link #pack} returned it; C rows are overwritten. */
        void rows(float[] a, float[] b, float[] c, int r0, int r1, int inner, int cols);

        void rows(double[] a, double[] b, double[] c, int r0, int r1, int inner, int cols);

        float dot(float[] x, int xo, float[] y, int yo, int n);

        void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);
    }

    private static final Kernel KERNEL = pick();

    private Gemm() {}

    private static Kernel pick() {
        if (!Boolean.getBoolean("exfacegan.gemm.scalar")
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Kernel) Class.forName("org.exfacegan.runner.pipeline.linalg.VectorKernel")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the portable kernel
            }
        }
        return new ScalarKernel();
    }

    /** True when the Vector API kernel is in use. */
    public static boolean vectorized() {
        return !(KERNEL instanceof ScalarKernel);
    }

    /** {@code c[rows x cols] = a[rows x inner] * b[inner x cols]}, all row-major. */
    public static void multiply(float[] a, float[] b, float[] c, int rows, int inner, int cols) {
        check(a.length, b.length, c.length, rows, inner, cols);
        float[] packed = KERNEL.pack(b, inner, cols);
        IntStream.range(0, (rows + ROW_BLOCK - 1) / ROW_BLOCK).parallel().forEach(t ->
                KERNEL.rows(a, packed, c, t * ROW_BLOCK, Math.min(rows, (t + 1) * ROW_BLOCK), inner, cols));
    }

    /** Double-precision {@code c = a b}, row-major. */
    public static void multiply(double[] a, double[] b, double[] c, int rows, int inner, int cols) {
        check(a.length, b.length, c.length, rows, inner, cols);
        double[] packed = KERNEL.pack(b, inner, cols);
        IntStream.range(0, (rows + ROW_BLOCK - 1) / ROW_BLOCK).parallel().forEach(t ->
                KERNEL.rows(a, packed, c, t * ROW_BLOCK, Math.min(rows, (t + 1) * ROW_BLOCK), inner, cols));
    }

    /** {@code sum x[xo+i] y[yo+i]} over {@code i < n}. */
    public static float dot(float[] x, int xo, float[] y, int yo, int n) {
        return KERNEL.dot(x, xo, y, yo, n);
    }

    /** {@code y[yo+i] += alpha x[xo+i]} over {@code i < n}. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        KERNEL.axpy(alpha, x, xo, y, yo, n);
    }

    /** Row-major transpose of an {@code rows x cols} matrix. */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i0 = 0; i0 < rows; i0 += 32) {
            for (int j0 = 0; j0 < cols; j0 += 32) {
                for (int i = i0; i < Math.min(rows, i0 + 32); i++) {
                    for (int j = j0; j < Math.min(cols, j0 + 32); j++) {
                        t[j * rows + i] = m[i * cols + j];
                    }
                }
            }
        }
        return t;
    }

    private static void check(int a, int b, int c, int rows, int inner, int cols) {
        if (rows < 0 || inner < 0 || cols < 0 || (long) rows * inner > a || (long) inner * cols > b || (long) rows * cols > c) {
            throw new IllegalArgumentException("gemm shapes " + rows + "x" + inner + " * " + inner + "x" + cols
                    + " do not fit arrays of " + a + ", " + b + ", " + c);
        }
    }

    /** Plain Java: four depth steps per pass over a C row so C2 vectorises the inner loop. */
    static final class ScalarKernel implements Kernel {
        @Override
        public void rows(float[] a, float[] b, float[] c, int r0, int r1, int inner, int cols) {
            Arrays.fill(c, r0 * cols, r1 * cols, 0f);
            for (int r = r0; r < r1; r++) {
                int ao = r * inner, co = r * cols;
                for (int k = 0; k < inner; k++) {
                    float a0 = a[ao + k];
                    int b0 = k * cols;
                    for (int j = 0; j < cols; j++) {
                        c[co + j] = Math.fma(a0, b[b0 + j], c[co + j]);
                    }
                }
            }
        }

        @Override
        public float dot(float[] x, int xo, float[] y, int yo, int n) {
            return dotFixedOrder(x, xo, y, yo, n);
        }

        /** Four interleaved fused sums, combined in a fixed order: the same on every CPU. */
        static float dotFixedOrder(float[] x, int xo, float[] y, int yo, int n) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 = Math.fma(x[xo + i], y[yo + i], s0);
                s1 = Math.fma(x[xo + i + 1], y[yo + i + 1], s1);
                s2 = Math.fma(x[xo + i + 2], y[yo + i + 2], s2);
                s3 = Math.fma(x[xo + i + 3], y[yo + i + 3], s3);
            }
            for (; i < n; i++) {
                s0 = Math.fma(x[xo + i], y[yo + i], s0);
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
            }
        }

        @Override
        public void rows(double[] a, double[] b, double[] c, int r0, int r1, int inner, int cols) {
            Arrays.fill(c, r0 * cols, r1 * cols, 0d);
            for (int r = r0; r < r1; r++) {
                int ao = r * inner, co = r * cols;
                for (int k = 0; k < inner; k++) {
                    double a0 = a[ao + k];
                    int b0 = k * cols;
                    for (int j = 0; j < cols; j++) {
                        c[co + j] = Math.fma(a0, b[b0 + j], c[co + j]);
                    }
                }
            }
        }
    }
}
