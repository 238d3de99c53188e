package org.exfacegan.runtime;

import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.testing.OnnxWriter;

/**
 * The tiny test network shared by the ONNX and TorchScript fixtures:
 * {@code y = sigmoid(tanh(x W1 + b1) W2 + b2)}, x [n, 4], y [n, 3], plus {@code z = exp(-x^2)} [n, 4].
 * Weights follow a formula that make_torchscript.py repeats exactly.
 */
public final class TinyNet {
    public static final int IN = 4;
    public static final int HIDDEN = 5;
    public static final int OUT = 3;

    public static final float[] W1 = weights(IN * HIDDEN, 1);
    public static final float[] B1 = weights(HIDDEN, 2);
    public static final float[] W2 = weights(HIDDEN * OUT, 3);
    public static final float[] B2 = weights(OUT, 4);

    private TinyNet() {}

    /** value k of tensor t: 0.5 sin(7 t + 1.3 k), rounded from double to float (as in the Python script). */
    static float[] weights(int n, int t) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = (float) (0.5 * Math.sin(7 * t + 1.3 * k));
        }
        return w;
    }

    /** Deterministic inputs, n rows. */
    public static float[] inputs(int n, int seed) {
        float[] x = new float[n * IN];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) Math.cos(0.37 * k + seed);
        }
        return x;
    }

    /** Writes the network; {@code batch} -1 makes the batch dimension dynamic. */
    public static Path writeOnnx(Path file, long batch) {
        return onnx(batch).write(file);
    }

    /** The network as an ONNX graph not yet written. */
    public static OnnxWriter onnx(long batch) {
        OnnxWriter g = new OnnxWriter("tinynet");
        g.input("x", batch, IN);
        g.initializer("W1", W1, IN, HIDDEN);
        g.initializer("b1", B1, HIDDEN);
        g.initializer("W2", W2, HIDDEN, OUT);
        g.initializer("b2", B2, OUT);
        g.node("MatMul", List.of("x", "W1"), List.of("h0"));
        g.node("Add", List.of("h0", "b1"), List.of("h1"));
        g.node("Tanh", List.of("h1"), List.of("h"));
        g.node("MatMul", List.of("h", "W2"), List.of("o0"));
        g.node("Add", List.of("o0", "b2"), List.of("o1"));
        g.node("Sigmoid", List.of("o1"), List.of("y"));
        g.node("Mul", List.of("x", "x"), List.of("x2"));
        g.node("Neg", List.of("x2"), List.of("nx2"));
        g.node("Exp", List.of("nx2"), List.of("z"));
        g.output("y", batch, OUT);
        g.output("z", batch, IN);
        return g;
    }

    /** Java reference of output y for rows of x. */
    public static float[] referenceY(float[] x) {
        int n = x.length / IN;
        float[] y = new float[n * OUT];
        for (int r = 0; r < n; r++) {
            double[] h = new double[HIDDEN];
            for (int j = 0; j < HIDDEN; j++) {
                double s = B1[j];
                for (int i = 0; i < IN; i++) {
                    s += (double) x[r * IN + i] * W1[i * HIDDEN + j];
                }
                h[j] = Math.tanh(s);
            }
            for (int j = 0; j < OUT; j++) {
                double s = B2[j];
                for (int i = 0; i < HIDDEN; i++) {
                    s += h[i] * W2[i * OUT + j];
                }
                y[r * OUT + j] = (float) (1 / (1 + Math.exp(-s)));
            }
        }
        return y;
    }

    /** Java reference of output z. */
    public static float[] referenceZ(float[] x) {
        float[] z = new float[x.length];
        for (int k = 0; k < x.length; k++) {
            z[k] = (float) Math.exp(-(double) x[k] * x[k]);
        }
        return z;
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
