package org.exfacegan.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.testing.OnnxWriter;

/** A thin expression layer over {@link OnnxWriter}: each call adds one node and returns its output name. */
final class Ops {
    final OnnxWriter g;
    private final Map<Float, String> scalars = new HashMap<>();
    private int next;

    Ops(OnnxWriter g) {
        this.g = g;
    }

    String fresh(String hint) {
        return hint + "_" + next++;
    }

    /** A float scalar constant (shared by value). */
    String c(double v) {
        return scalars.computeIfAbsent((float) v, f -> {
            String name = fresh("c");
            g.initializer(name, new float[] {f});
            return name;
        });
    }

    String t(float[] data, long... dims) {
        String name = fresh("t");
        g.initializer(name, data, dims);
        return name;
    }

    String ints(long... values) {
        String name = fresh("i");
        g.int64s(name, values);
        return name;
    }

    String op(String type, String... inputs) {
        String out = fresh(type.toLowerCase());
        g.node(type, List.of(inputs), List.of(out));
        return out;
    }

    OnnxWriter.Node node(String type, String out, String... inputs) {
        return g.node(type, List.of(inputs), List.of(out));
    }

    String add(String a, String b) {
        return op("Add", a, b);
    }

    String sub(String a, String b) {
        return op("Sub", a, b);
    }

    String mul(String a, String b) {
        return op("Mul", a, b);
    }

    String div(String a, String b) {
        return op("Div", a, b);
    }

    String sq(String a) {
        return mul(a, a);
    }

    String sigmoid(String a) {
        return op("Sigmoid", a);
    }

    /** a + b * x for constants a, b. */
    String lin(String x, double a, double b) {
        return add(c(a), mul(x, c(b)));
    }

    String reshape(String x, long... shape) {
        return op("Reshape", x, ints(shape));
    }

    String matmul(String x, float[] w, long rows, long cols) {
        return op("MatMul", x, t(w, rows, cols));
    }

    /** x W + b, W [rows, cols] row-major. */
    String dense(String x, float[] w, float[] b, int rows, int cols) {
        return add(matmul(x, w, rows, cols), t(b, cols));
    }

    String leakyRelu(String x, double alpha) {
        String out = fresh("lrelu");
        node("LeakyRelu", out, x).attrFloat("alpha", (float) alpha);
        return out;
    }

    /** ReduceSum over the given axes, kept as size-1 dims. */
    String sumKeep(String x, long... axes) {
        String out = fresh("sum");
        node("ReduceSum", out, x, ints(axes)).attrInt("keepdims", 1);
        return out;
    }

    String gather(String x, int axis, long... indices) {
        String out = fresh("gather");
        node("Gather", out, x, ints(indices)).attrInt("axis", axis);
        return out;
    }

    String flatten(String x) {
        String out = fresh("flat");
        node("Flatten", out, x).attrInt("axis", 1);
        return out;
    }

    String concat(int axis, String... xs) {
        String out = fresh("concat");
        g.node("Concat", List.of(xs), List.of(out)).attrInt("axis", axis);
        return out;
    }

    /** Splits x along axis 1 into {@code count} equal parts. */
    String[] split(String x, int count) {
        String[] outs = new String[count];
        for (int i = 0; i < count; i++) {
            outs[i] = fresh("part");
        }
        g.node("Split", List.of(x), List.of(outs)).attrInt("axis", 1);
        return outs;
    }

    /** Copies x to a graph output name. */
    void identity(String x, String out) {
        node("Identity", out, x);
    }
}
