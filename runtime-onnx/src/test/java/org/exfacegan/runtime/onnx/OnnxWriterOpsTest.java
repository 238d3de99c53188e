package org.exfacegan.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.OnnxWriter;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operators other modules build test graphs from, written by OnnxWriter and checked against Java. */
class OnnxWriterOpsTest {
    private static final DefaultModelHost HOST = DefaultModelHost.fromServiceLoader();

    @TempDir
    Path dir;

    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(1 + i * 0.9) * scale;
        }
        return v;
    }

    private Map<String, FloatTensor> run(OnnxWriter g, String file, FloatTensor x) {
        try (ModelSession s = HOST.open(g.write(dir.resolve(file)), ModelOptions.DEFAULT)) {
            return s.run(Map.of("x", x));
        }
    }

    private static void close(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "value " + i);
        }
    }

    @Test
    void convWithPaddingAndBias() {
        float[] w = ramp(2 * 9, 1); // 2 output channels, 1 input channel, 3x3
        float[] b = {0.25f, -0.5f};
        OnnxWriter g = new OnnxWriter("conv");
        g.input("x", -1, 1, 4, 4);
        g.initializer("w", w, 2, 1, 3, 3);
        g.initializer("b", b, 2);
        g.node("Conv", List.of("x", "w", "b"), List.of("y")).attrInts("pads", 1, 1, 1, 1).attrInts("kernel_shape", 3, 3);
        g.output("y", -1, 2, 4, 4);
        float[] x = ramp(16, 2);
        FloatTensor y = run(g, "conv.onnx", FloatTensor.of(x, 1, 1, 4, 4)).get("y");
        assertArrayEquals(new long[] {1, 2, 4, 4}, y.shape());
        float[] expected = new float[32];
        for (int o = 0; o < 2; o++) {
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    double s = b[o];
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int rr = r + i - 1;
                            int cc = c + j - 1;
                            if (rr >= 0 && rr < 4 && cc >= 0 && cc < 4) {
                                s += x[rr * 4 + cc] * w[o * 9 + i * 3 + j];
                            }
                        }
                    }
                    expected[o * 16 + r * 4 + c] = (float) s;
                }
            }
        }
        close(expected, y.data());
    }

    @Test
    void gemmTransposeReduceConcatSliceAndPointwise() {
        OnnxWriter g = new OnnxWriter("ops").opset(13); // opset is configurable; ReduceMean takes axes as attribute here
        g.input("x", -1, 3);
        g.initializer("W", ramp(6, 1), 2, 3);
        g.initializer("c", new float[] {1, 2}, 2);
        g.node("Gemm", List.of("x", "W", "c"), List.of("gemm")).attrInt("transB", 1).attrFloat("alpha", 2f);
        g.node("Transpose", List.of("x"), List.of("xt")).attrInts("perm", 1, 0);
        g.node("ReduceMean", List.of("x"), List.of("mean")).attrInts("axes", 1).attrInt("keepdims", 1);
        g.node("Concat", List.of("x", "mean"), List.of("cat")).attrInt("axis", 1);
        g.int64s("starts", 1);
        g.int64s("ends", 3);
        g.int64s("axes", 1);
        g.node("Slice", List.of("x", "starts", "ends", "axes"), List.of("sl"));
        g.node("Relu", List.of("x"), List.of("relu"));
        g.node("Sin", List.of("x"), List.of("s0"));
        g.node("Cos", List.of("x"), List.of("c0"));
        g.node("Sub", List.of("s0", "c0"), List.of("sc"));
        g.initializer("lo", new float[] {-0.2f});
        g.initializer("hi", new float[] {0.3f});
        g.node("Clip", List.of("sc", "lo", "hi"), List.of("clip"));
        g.int64s("shape", -1);
        g.node("Reshape", List.of("x", "shape"), List.of("flat"));
        g.node("Constant", List.of(), List.of("k")).attrTensor("value", new float[] {3f}, 1);
        g.node("Mul", List.of("flat", "k"), List.of("flat3"));
        for (String o : List.of("gemm", "xt", "cat", "sl", "relu", "clip", "flat3")) {
            g.output(o, o.equals("flat3") ? new long[] {-1} : new long[] {-1, -1});
        }
        float[] x = ramp(6, 1.5f); // [2, 3]
        Map<String, FloatTensor> out = run(g, "ops.onnx", FloatTensor.of(x, 2, 3));
        float[] w = ramp(6, 1);
        float[] gemm = new float[4];
        float[] xt = new float[6];
        float[] cat = new float[8];
        float[] sl = new float[4];
        float[] relu = new float[6];
        float[] clip = new float[6];
        float[] flat3 = new float[6];
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                float v = x[r * 3 + c];
                xt[c * 2 + r] = v;
                cat[r * 4 + c] = v;
                sum += v;
                relu[r * 3 + c] = Math.max(0, v);
                clip[r * 3 + c] = (float) Math.min(0.3, Math.max(-0.2, Math.sin(v) - Math.cos(v)));
                flat3[r * 3 + c] = 3 * v;
                if (c >= 1) {
                    sl[r * 2 + c - 1] = v;
                }
            }
            cat[r * 4 + 3] = (float) (sum / 3);
            for (int o = 0; o < 2; o++) {
                double s = 0;
                for (int c = 0; c < 3; c++) {
                    s += x[r * 3 + c] * w[o * 3 + c];
                }
                gemm[r * 2 + o] = (float) (2 * s + (o + 1));
            }
        }
        close(gemm, out.get("gemm").data());
        assertArrayEquals(new long[] {3, 2}, out.get("xt").shape());
        close(xt, out.get("xt").data());
        close(cat, out.get("cat").data());
        close(sl, out.get("sl").data());
        close(relu, out.get("relu").data());
        close(clip, out.get("clip").data());
        close(flat3, out.get("flat3").data());
    }
}
