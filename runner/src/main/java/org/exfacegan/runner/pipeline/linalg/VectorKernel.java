package org.exfacegan.runner.pipeline.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM kernel on the Vector API: a 6-row x 2-vector tile of C stays in registers
 * while the depth loop streams one B row segment and broadcasts six A values (12 FMAs per 2 loads).
 * Loaded reflectively by {@link Gemm} only when the incubator module is present. The float and
 * double kernels are the same code for two primitive types.
 */
final class VectorKernel implements Gemm.Kernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;


    /** Panels of {@code DEPTH_BLOCK x 2L} contiguous per (depth block, column strip), then the leftover columns row-major. */
    @Override
    public float[] pack(float[] b, int inner, int cols) {
        int w = 2 * FS.length();
        int wide = cols - cols % w;
        float[] p = new float[inner * cols];
        int o = 0;
        for (int kb = 0; kb < inner; kb += Gemm.DEPTH_BLOCK) {
            int ke = Math.min(inner, kb + Gemm.DEPTH_BLOCK);
            for (int j = 0; j < wide; j += w) {
                for (int k = kb; k < ke; k++) {
                    System.arraycopy(b, k * cols + j, p, o, w);
                    o += w;
                }
            }
        }
        int tail = cols - wide;
        for (int k = 0; k < inner; k++) {
            System.arraycopy(b, k * cols + wide, p, o + k * tail, tail);
        }
        return p;
    }

    @Override
    public void rows(float[] a, float[] b, float[] c, int r0, int r1, int inner, int cols) {
        Arrays.fill(c, r0 * cols, r1 * cols, 0f);
        int l = FS.length();
        int wide = cols - cols % (2 * l);
        for (int kb = 0; kb < inner; kb += Gemm.DEPTH_BLOCK) {
            int ke = Math.min(inner, kb + Gemm.DEPTH_BLOCK);
            for (int j = 0; j < wide; j += 2 * l) {
                int panel = kb * wide + j * (ke - kb);
                int r = r0;
                for (; r + 5 < r1; r += 6) {
                    tile6(a, b, panel, c, r, j, kb, ke, inner, cols);
                }
                for (; r < r1; r++) {
                    tile1(a, b, panel, c, r, j, kb, ke, inner, cols);
                }
            }
            // columns left over from the 2-vector strips
            for (int r = r0; r < r1; r++) {
                int ao = r * inner, co = r * cols;
                for (int k = kb; k < ke; k++) {
                    float av = a[ao + k];
                    int bo = inner * wide + k * (cols - wide) - wide;
                    for (int j = wide; j < cols; j++) {
                        c[co + j] = Math.fma(av, b[bo + j], c[co + j]);
                    }
                }
            }
        }
    }

    private static void tile6(float[] a, float[] b, int panel, float[] c, int r, int j, int kb, int ke, int inner, int cols) {
        int l = FS.length();
        int c0 = r * cols + j, c1 = c0 + cols, c2 = c1 + cols, c3 = c2 + cols, c4 = c3 + cols, c5 = c4 + cols;
        FloatVector x00 = FloatVector.fromArray(FS, c, c0), x01 = FloatVector.fromArray(FS, c, c0 + l);
        FloatVector x10 = FloatVector.fromArray(FS, c, c1), x11 = FloatVector.fromArray(FS, c, c1 + l);
        FloatVector x20 = FloatVector.fromArray(FS, c, c2), x21 = FloatVector.fromArray(FS, c, c2 + l);
        FloatVector x30 = FloatVector.fromArray(FS, c, c3), x31 = FloatVector.fromArray(FS, c, c3 + l);
        FloatVector x40 = FloatVector.fromArray(FS, c, c4), x41 = FloatVector.fromArray(FS, c, c4 + l);
        FloatVector x50 = FloatVector.fromArray(FS, c, c5), x51 = FloatVector.fromArray(FS, c, c5 + l);
        int a0 = r * inner, a1 = a0 + inner, a2 = a1 + inner, a3 = a2 + inner, a4 = a3 + inner, a5 = a4 + inner;
        for (int k = kb; k < ke; k++) {
            int bo = panel + (k - kb) * 2 * l;
            FloatVector b0 = FloatVector.fromArray(FS, b, bo), b1 = FloatVector.fromArray(FS, b, bo + l);
            FloatVector s;
            s = FloatVector.broadcast(FS, a[a0 + k]); x00 = s.fma(b0, x00); x01 = s.fma(b1, x01);
            s = FloatVector.broadcast(FS, a[a1 + k]); x10 = s.fma(b0, x10); x11 = s.fma(b1, x11);
            s = FloatVector.broadcast(FS, a[a2 + k]); x20 = s.fma(b0, x20); x21 = s.fma(b1, x21);
            s = FloatVector.broadcast(FS, a[a3 + k]); x30 = s.fma(b0, x30); x31 = s.fma(b1, x31);
            s = FloatVector.broadcast(FS, a[a4 + k]); x40 = s.fma(b0, x40); x41 = s.fma(b1, x41);
            s = FloatVector.broadcast(FS, a[a5 + k]); x50 = s.fma(b0, x50); x51 = s.fma(b1, x51);
        }
        x00.intoArray(c, c0); x01.intoArray(c, c0 + l);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + l);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + l);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + l);
        x40.intoArray(c, c4); x41.intoArray(c, c4 + l);
        x50.intoArray(c, c5); x51.intoArray(c, c5 + l);
    }

    private static void tile1(float[] a, float[] b, int panel, float[] c, int r, int j, int kb, int ke, int inner, int cols) {
        int l = FS.length();
        int c0 = r * cols + j, a0 = r * inner;
        FloatVector x0 = FloatVector.fromArray(FS, c, c0), x1 = FloatVector.fromArray(FS, c, c0 + l);
        for (int k = kb; k < ke; k++) {
            int bo = panel + (k - kb) * 2 * l;
            FloatVector s = FloatVector.broadcast(FS, a[a0 + k]);
            x0 = s.fma(FloatVector.fromArray(FS, b, bo), x0);
            x1 = s.fma(FloatVector.fromArray(FS, b, bo + l), x1);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + l);
    }


    /** Panels of {@code DEPTH_BLOCK x 2L} contiguous per (depth block, column strip), then the leftover columns row-major. */
    @Override
    public double[] pack(double[] b, int inner, int cols) {
        int w = 2 * DS.length();
        int wide = cols - cols % w;
        double[] p = new double[inner * cols];
        int o = 0;
        for (int kb = 0; kb < inner; kb += Gemm.DEPTH_BLOCK) {
            int ke = Math.min(inner, kb + Gemm.DEPTH_BLOCK);
            for (int j = 0; j < wide; j += w) {
                for (int k = kb; k < ke; k++) {
                    System.arraycopy(b, k * cols + j, p, o, w);
                    o += w;
                }
            }
        }
        int tail = cols - wide;
        for (int k = 0; k < inner; k++) {
            System.arraycopy(b, k * cols + wide, p, o + k * tail, tail);
        }
        return p;
    }

    @Override
    public void rows(double[] a, double[] b, double[] c, int r0, int r1, int inner, int cols) {
        Arrays.fill(c, r0 * cols, r1 * cols, 0d);
        int l = DS.length();
        int wide = cols - cols % (2 * l);
        for (int kb = 0; kb < inner; kb += Gemm.DEPTH_BLOCK) {
            int ke = Math.min(inner, kb + Gemm.DEPTH_BLOCK);
            for (int j = 0; j < wide; j += 2 * l) {
                int panel = kb * wide + j * (ke - kb);
                int r = r0;
                for (; r + 5 < r1; r += 6) {
                    tile6(a, b, panel, c, r, j, kb, ke, inner, cols);
                }
                for (; r < r1; r++) {
                    tile1(a, b, panel, c, r, j, kb, ke, inner, cols);
                }
            }
            for (int r = r0; r < r1; r++) {
                int ao = r * inner, co = r * cols;
                for (int k = kb; k < ke; k++) {
                    double av = a[ao + k];
                    int bo = inner * wide + k * (cols - wide) - wide;
                    for (int j = wide; j < cols; j++) {
                        c[co + j] = Math.fma(av, b[bo + j], c[co + j]);
                    }
                }
            }
        }
    }

    private static void tile6(double[] a, double[] b, int panel, double[] c, int r, int j, int kb, int ke, int inner, int cols) {
        int l = DS.length();
        int c0 = r * cols + j, c1 = c0 + cols, c2 = c1 + cols, c3 = c2 + cols, c4 = c3 + cols, c5 = c4 + cols;
        DoubleVector x00 = DoubleVector.fromArray(DS, c, c0), x01 = DoubleVector.fromArray(DS, c, c0 + l);
        DoubleVector x10 = DoubleVector.fromArray(DS, c, c1), x11 = DoubleVector.fromArray(DS, c, c1 + l);
        DoubleVector x20 = DoubleVector.fromArray(DS, c, c2), x21 = DoubleVector.fromArray(DS, c, c2 + l);
        DoubleVector x30 = DoubleVector.fromArray(DS, c, c3), x31 = DoubleVector.fromArray(DS, c, c3 + l);
        DoubleVector x40 = DoubleVector.fromArray(DS, c, c4), x41 = DoubleVector.fromArray(DS, c, c4 + l);
        DoubleVector x50 = DoubleVector.fromArray(DS, c, c5), x51 = DoubleVector.fromArray(DS, c, c5 + l);
        int a0 = r * inner, a1 = a0 + inner, a2 = a1 + inner, a3 = a2 + inner, a4 = a3 + inner, a5 = a4 + inner;
        for (int k = kb; k < ke; k++) {
            int bo = panel + (k - kb) * 2 * l;
            DoubleVector b0 = DoubleVector.fromArray(DS, b, bo), b1 = DoubleVector.fromArray(DS, b, bo + l);
            DoubleVector s;
            s = DoubleVector.broadcast(DS, a[a0 + k]); x00 = s.fma(b0, x00); x01 = s.fma(b1, x01);
            s = DoubleVector.broadcast(DS, a[a1 + k]); x10 = s.fma(b0, x10); x11 = s.fma(b1, x11);
            s = DoubleVector.broadcast(DS, a[a2 + k]); x20 = s.fma(b0, x20); x21 = s.fma(b1, x21);
            s = DoubleVector.broadcast(DS, a[a3 + k]); x30 = s.fma(b0, x30); x31 = s.fma(b1, x31);
            s = DoubleVector.broadcast(DS, a[a4 + k]); x40 = s.fma(b0, x40); x41 = s.fma(b1, x41);
            s = DoubleVector.broadcast(DS, a[a5 + k]); x50 = s.fma(b0, x50); x51 = s.fma(b1, x51);
        }
        x00.intoArray(c, c0); x01.intoArray(c, c0 + l);
        x10.intoArray(c, c1); x11.intoArray(c, c1 + l);
        x20.intoArray(c, c2); x21.intoArray(c, c2 + l);
        x30.intoArray(c, c3); x31.intoArray(c, c3 + l);
        x40.intoArray(c, c4); x41.intoArray(c, c4 + l);
        x50.intoArray(c, c5); x51.intoArray(c, c5 + l);
    }

    private static void tile1(double[] a, double[] b, int panel, double[] c, int r, int j, int kb, int ke, int inner, int cols) {
        int l = DS.length();
        int c0 = r * cols + j, a0 = r * inner;
        DoubleVector x0 = DoubleVector.fromArray(DS, c, c0), x1 = DoubleVector.fromArray(DS, c, c0 + l);
        for (int k = kb; k < ke; k++) {
            int bo = panel + (k - kb) * 2 * l;
            DoubleVector s = DoubleVector.broadcast(DS, a[a0 + k]);
            x0 = s.fma(DoubleVector.fromArray(DS, b, bo), x0);
            x1 = s.fma(DoubleVector.fromArray(DS, b, bo + l), x1);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + l);
    }

    @Override
    public float dot(float[] x, int xo, float[] y, int yo, int n) {
        return Gemm.ScalarKernel.dotFixedOrder(x, xo, y, yo, n); // a lane reduction's order depends on the CPU
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int l = FS.length();
        FloatVector av = FloatVector.broadcast(FS, alpha);
        int i = 0;
        for (; i + l <= n; i += l) {
            av.fma(FloatVector.fromArray(FS, x, xo + i), FloatVector.fromArray(FS, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]); // as the lanes do: same bits on any vector width
        }
    }
}
