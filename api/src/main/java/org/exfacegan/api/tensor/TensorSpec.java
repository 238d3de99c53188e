package org.exfacegan.api.tensor;

import java.util.Arrays;

/**
 * Name and shape of a model input or output. A negative dimension is dynamic (any size).
 */
public record TensorSpec(String name, long[] shape) {
    public static final long DYNAMIC = -1;

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public boolean isDynamic(int dim) {
        return shape[dim] < 0;
    }

    /** True when a tensor of {@code actual} shape fits this spec. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + FloatTensor.shapeString(shape);
    }
}
