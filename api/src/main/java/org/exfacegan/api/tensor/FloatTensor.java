package org.exfacegan.api.tensor;

import java.util.Arrays;

/**
 * A dense row-major float tensor. Immutable by contract: the constructor copies nothing for
 * speed, so callers hand over ownership of {@code data} and must not change it afterwards.
 */
public final class FloatTensor {
    private final long[] shape;
    private final float[] data;

    public FloatTensor(long[] shape, float[] data) {
        this.shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor dimension must be >= 0, shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " values but data has " + data.length);
        }
        this.data = data;
    }

    public static FloatTensor of(float[] data, long... shape) {
        return new FloatTensor(shape, data);
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** Number of values in one item of the leading (batch) dimension. */
    public int itemSize() {
        return shape.length == 0 || shape[0] == 0 ? 0 : data.length / (int) shape[0];
    }

    /** The backing array (not a copy: do not modify). */
    public float[] data() {
        return data;
    }

    /** Rows [from, to) of the leading dimension, copied. */
    public FloatTensor slice(int from, int to) {
        int item = itemSize();
        long[] s = shape.clone();
        s[0] = to - from;
        return new FloatTensor(s, Arrays.copyOfRange(data, from * item, to * item));
    }

    /** Same values, another shape with the same element count. */
    public FloatTensor reshape(long... newShape) {
        return new FloatTensor(newShape, data);
    }

    public static String shapeString(long[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        return b.append(']').toString();
    }

    @Override
    public String toString() {
        return "FloatTensor" + shapeString(shape);
    }
}
