package org.exfacegan.recognizer.arcface;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation, no reflection):
 * (x, y) -> (a x - b y + tx, b x + a y + ty). Coordinates put pixel (i, j)'s centre at (i, j).
 */
public record Similarity(double a, double b, double tx, double ty) {

    /**
     * Least-squares fit of {@code dst ~ T(src)} over point pairs given as x0,y0,x1,y1,...
     * This is Umeyama's estimate restricted to proper rotations: with centred points the optimum
     * is a = sum(p.q) / sum|p|^2, b = sum(p x q) / sum|p|^2 (the 2-D case has this closed form,
     * no SVD needed; a reflection is never wanted for faces).
     */
    public static Similarity estimate(float[] src, float[] dst) {
        if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
            throw new IllegalArgumentException("need matching x,y lists of >= 2 points, got " + src.length + " and " + dst.length);
        }
        int n = src.length / 2;
        double sx = 0;
        double sy = 0;
        double dx = 0;
        double dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[2 * i];
            sy += src[2 * i + 1];
            dx += dst[2 * i];
            dy += dst[2 * i + 1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double dot = 0;
        double cross = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double px = src[2 * i] - sx;
            double py = src[2 * i + 1] - sy;
            double qx = dst[2 * i] - dx;
            double qy = dst[2 * i + 1] - dy;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (!(norm > 1e-12)) {
            throw new IllegalArgumentException("landmarks coincide: cannot fit a similarity transform");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new Similarity(a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy));
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    public double[] apply(double x, double y) {
        return new double[] {a * x - b * y + tx, b * x + a * y + ty};
    }

    /** Applies the transform to x0,y0,x1,y1,... */
    public float[] apply(float[] points) {
        float[] out = new float[points.length];
        for (int i = 0; i + 1 < points.length; i += 2) {
            double[] p = apply(points[i], points[i + 1]);
            out[i] = (float) p[0];
            out[i + 1] = (float) p[1];
        }
        return out;
    }

    public Similarity inverse() {
        double s2 = a * a + b * b;
        double ia = a / s2;
        double ib = -b / s2;
        return new Similarity(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    /** As the 2x3 affine matrix {m00, m01, m02, m10, m11, m12}. */
    public double[] matrix() {
        return new double[] {a, -b, tx, b, a, ty};
    }
}
