package org.exfacegan.gan;

import java.util.List;
import java.util.Map;
import org.exfacegan.api.tensor.FloatTensor;

/** A descriptor value given inline as an array of numbers, or a rectangular array of such arrays. */
final class InlineArray {
    private InlineArray() {}

    /** The array as a tensor of shape [n] or [rows, cols]; errors name the element's JSON pointer. */
    static FloatTensor of(List<?> list, long maxElements, GanModel model, String pointer) {
        if (!list.isEmpty() && list.get(0) instanceof List<?> first) {
            int cols = first.size();
            if ((long) list.size() * cols > maxElements) {
                throw model.error(pointer, "holds " + (long) list.size() * cols + " values, more than the " + maxElements
                        + " expected");
            }
            float[] out = new float[list.size() * cols];
            for (int r = 0; r < list.size(); r++) {
                if (!(list.get(r) instanceof List<?> row) || row.size() != cols) {
                    throw model.error(pointer + "/" + r, "expected an array of " + cols + " numbers, got " + describe(list.get(r)));
                }
                fill(row, out, r * cols, model, pointer + "/" + r);
            }
            return FloatTensor.of(out, list.size(), cols);
        }
        if (list.size() > maxElements) {
            throw model.error(pointer, "holds " + list.size() + " values, more than the " + maxElements + " expected");
        }
        float[] out = new float[list.size()];
        fill(list, out, 0, model, pointer);
        return FloatTensor.of(out, list.size());
    }

    private static void fill(List<?> row, float[] out, int offset, GanModel model, String pointer) {
        for (int i = 0; i < row.size(); i++) {
            if (!(row.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw model.error(pointer + "/" + i, "expected a finite number, got " + describe(row.get(i)));
            }
            out[offset + i] = n.floatValue();
        }
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List<?> l) {
            return "an array of " + l.size();
        }
        return v.toString();
    }
}
