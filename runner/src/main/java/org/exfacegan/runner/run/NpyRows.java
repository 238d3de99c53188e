package org.exfacegan.runner.run;

import java.util.List;
import org.exfacegan.npy.Npy;

/** Float arrays stacked along their first axis (probe chunks into the probe set, identities into the dataset). */
final class NpyRows {
    private NpyRows() {}

    static Npy.Array concat(List<Npy.Array> parts) {
        long rows = 0;
        int total = 0;
        for (Npy.Array p : parts) {
            rows += p.shape()[0];
            total += p.floats().length;
        }
        float[] out = new float[total];
        int at = 0;
        for (Npy.Array p : parts) {
            System.arraycopy(p.floats(), 0, out, at, p.floats().length);
            at += p.floats().length;
        }
        long[] shape = parts.get(0).shape();
        shape[0] = rows;
        return new Npy.Array(Npy.DType.FLOAT32, shape, out);
    }
}
