package org.exfacegan.runner.pipeline.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class GemmTest {
    private static final int[][] SHAPES = {{1, 1, 1}, {7, 13, 5}, {13, 300, 37}, {100, 129, 70}, {97, 260, 64}, {6, 2, 33}};

    private static float[] randomF(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static double[] naive(float[] a, float[] b, int rows, int inner, int cols) {
        double[] c = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                for (int j = 0; j < cols; j++) {
                    c[i * cols + j] += (double) a[i * inner + k] * b[k * cols + j];
                }
            }
        }
        return c;
    }

    private static void close(double[] want, float[] got, int inner) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5 * Math.sqrt(inner) * 4, "element " + i);
        }
    }

    @Test
    void usesTheVectorKernelWhenTheModuleIsPresent() {
        // -Dexfacegan.gemm.scalar=true forces the plain-Java kernel (the whole suite passes with it too)
        assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && !Boolean.getBoolean("exfacegan.gemm.scalar"),
                Gemm.vectorized());
    }

    @Test
    void floatMatchesNaiveProductForAwkwardShapes() {
        Random r = new Random(3);
        for (int[] s : SHAPES) {
            float[] a = randomF(r, s[0] * s[1]), b = randomF(r, s[1] * s[2]);
            float[] c = new float[s[0] * s[2]];
            java.util.Arrays.fill(c, 99f); // overwritten, not accumulated
            Gemm.multiply(a, b, c, s[0], s[1], s[2]);
            close(naive(a, b, s[0], s[1], s[2]), c, s[1]);
            float[] cs = new float[c.length];
            Gemm.ScalarKernel k = new Gemm.ScalarKernel();
            k.rows(a, k.pack(b, s[1], s[2]), cs, 0, s[0], s[1], s[2]);
            close(naive(a, b, s[0], s[1], s[2]), cs, s[1]);
        }
    }

    @Test
    void doubleMatchesNaiveProduct() {
        Random r = new Random(4);
        for (int[] s : SHAPES) {
            double[] a = new double[s[0] * s[1]], b = new double[s[1] * s[2]];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextGaussian();
            }
            double[] c = new double[s[0] * s[2]];
            Gemm.multiply(a, b, c, s[0], s[1], s[2]);
            for (int i = 0; i < s[0]; i++) {
                for (int j = 0; j < s[2]; j++) {
                    double want = 0;
                    for (int k = 0; k < s[1]; k++) {
                        want += a[i * s[1] + k] * b[k * s[2] + j];
                    }
                    assertEquals(want, c[i * s[2] + j], 1e-10 * s[1]);
                }
            }
        }
    }

    @Test
    void sameBitsWhateverTheThreadCount() throws Exception {
        Random r = new Random(5);
        int rows = 301, inner = 257, cols = 67;
        float[] a = randomF(r, rows * inner), b = randomF(r, inner * cols);
        float[] c1 = new float[rows * cols], c4 = new float[rows * cols];
        new ForkJoinPool(1).submit(() -> Gemm.multiply(a, b, c1, rows, inner, cols)).get();
        new ForkJoinPool(4).submit(() -> Gemm.multiply(a, b, c4, rows, inner, cols)).get();
        assertArrayEquals(c1, c4);
    }

    @Test
    void dotAxpyTranspose() {
        Random r = new Random(6);
        float[] x = randomF(r, 77), y = randomF(r, 80);
        double want = 0;
        for (int i = 0; i < 70; i++) {
            want += (double) x[i + 3] * y[i + 1];
        }
        assertEquals(want, Gemm.dot(x, 3, y, 1, 70), 1e-4);
        float[] y2 = y.clone();
        Gemm.axpy(0.5f, x, 2, y2, 5, 70);
        for (int i = 0; i < 80; i++) {
            float expect = i >= 5 && i < 75 ? y[i] + 0.5f * x[i - 3] : y[i];
            assertEquals(expect, y2[i], 1e-5);
        }
        float[] m = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Gemm.transpose(m, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(new float[3], new float[4], new float[4], 2, 2, 2));
    }
}
