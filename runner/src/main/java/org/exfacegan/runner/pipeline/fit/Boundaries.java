package org.exfacegan.runner.pipeline.fit;

/**
 * Fitted boundaries: row r of {@code normals} ({@code [count x dim]}) is reference r's unit normal,
 * {@code offsets[r]} its offset (signed distance = n.x + b), and its accuracies in [0, 1] on the
 * held-out and train probes (NaN when not measured).
 */
public record Boundaries(int count, int dim, float[] normals, float[] offsets, float[] heldOutAccuracy,
                         float[] trainAccuracy) {
    public float[] normal(int r) {
        float[] n = new float[dim];
        System.arraycopy(normals, r * dim, n, 0, dim);
        return n;
    }

    /** Signed distance of {@code x[xo..xo+dim)} to boundary r. */
    public double signedDistance(int r, float[] x, int xo) {
        double s = offsets[r];
        for (int j = 0; j < dim; j++) {
            s += (double) normals[r * dim + j] * x[xo + j];
        }
        return s;
    }

    public double meanHeldOutAccuracy() {
        return mean(heldOutAccuracy);
    }

    /** The lowest held-out accuracy (NaN when none was measured). */
    public double minHeldOutAccuracy() {
        double m = Double.NaN;
        for (float v : heldOutAccuracy) {
            m = Double.isNaN(m) ? v : Math.min(m, v);
        }
        return m;
    }

    public double meanTrainAccuracy() {
        return mean(trainAccuracy);
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return a.length == 0 ? Double.NaN : s / a.length;
    }
}
