package org.exfacegan.runner.pipeline.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector and portable kernels give bit-identical results, so runs resume identically in any JVM. */
class GemmDeterminismTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    @Test
    void vectorAndScalarKernelsAgreeBitForBit() {
        assertTrue(Gemm.vectorized(), "tests run with jdk.incubator.vector (surefire argLine)");
        Gemm.Kernel vector = new VectorKernel();
        Gemm.Kernel scalar = new Gemm.ScalarKernel();
        int rows = 37, inner = 300, cols = 45; // odd sizes: partial tiles, leftover columns, two depth blocks
        float[] a = random(rows * inner, 1);
        float[] b = random(inner * cols, 2);
        float[] cv = new float[rows * cols];
        float[] cs = new float[rows * cols];
        vector.rows(a, vector.pack(b, inner, cols), cv, 0, rows, inner, cols);
        scalar.rows(a, scalar.pack(b, inner, cols), cs, 0, rows, inner, cols);
        assertArrayEquals(cs, cv);
        assertEquals(Float.floatToIntBits(scalar.dot(a, 3, b, 5, 291)), Float.floatToIntBits(vector.dot(a, 3, b, 5, 291)));
        float[] yv = random(200, 3);
        float[] ys = yv.clone();
        vector.axpy(0.37f, a, 1, yv, 0, 199);
        scalar.axpy(0.37f, a, 1, ys, 0, 199);
        assertArrayEquals(ys, yv);
        for (int n = 1; n <= 40; n++) { // every tail length after the full vectors (the svm fitter's axpy at dim 12 hit one)
            float[] tv = random(n, 10 + n);
            float[] ts = tv.clone();
            for (int rep = 0; rep < 50; rep++) {
                vector.axpy(0.37f + rep, a, rep, tv, 0, n);
                scalar.axpy(0.37f + rep, a, rep, ts, 0, n);
            }
            assertArrayEquals(ts, tv, "axpy of length " + n);
        }
        double[] ad = new double[rows * inner];
        double[] bd = new double[inner * cols];
        for (int i = 0; i < ad.length; i++) {
            ad[i] = a[i];
        }
        for (int i = 0; i < bd.length; i++) {
            bd[i] = b[i];
        }
        double[] dv = new double[rows * cols];
        double[] ds = new double[rows * cols];
        vector.rows(ad, vector.pack(bd, inner, cols), dv, 0, rows, inner, cols, cols);
        scalar.rows(ad, scalar.pack(bd, inner, cols), ds, 0, rows, inner, cols, cols);
        assertArrayEquals(ds, dv);
    }
}
