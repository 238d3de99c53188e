package org.exfacegan.runner.render;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.npy.Npy;

/**
 * Latents from a .npy file, one row per image, checked against a backbone's latent layout. The
 * user says which space they are in: the shapes of z and w are often the same ([n, 512]), so
 * guessing would render wrong faces without a word.
 */
public final class LatentFile {
    /** The spaces a latent file can hold. */
    public enum Space {
        /** Mapping input, [n, z shape] or flattened. */
        Z("z"),
        /** Mapping output before truncation (a run's probe/w.npy), [n, w shape] or flattened; truncated before synthesis. */
        W("w"),
        /** Synthesis input (what NVlabs' projector writes), [n, num_ws, w_dim] or flattened; fed as is, not truncated. */
        W_PLUS("w+"),
        /** The run's fit space (a run's latents.npy, probe/latents.npy), [n, fit dim]; rendered as the run renders it. */
        FIT("fit");

        private final String label;

        Space(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The space named {@code label}; IllegalArgumentException lists the names. */
        public static Space of(String label) {
            for (Space s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown latent space \"" + label + "\"; one of: "
                    + String.join(", ", Arrays.stream(values()).map(Space::label).toList()));
        }
    }

    private final Path file;
    private final Space space;
    private final long[] sampleShape;
    private final float[] data;
    private final int rows;

    private LatentFile(Path file, Space space, long[] sampleShape, float[] data, int rows) {
        this.file = file;
        this.space = space;
        this.sampleShape = sampleShape;
        this.data = data;
        this.rows = rows;
    }

    /**
     * Reads {@code file} (float32 or float64) and checks its shape against {@code layout}: a batch axis,
     * then the space's shape or that shape flattened. Errors name the file, the shape found and the one
     * expected, and the space the shape would fit when it fits another.
     */
    public static LatentFile read(Path file, Space space, LatentLayout layout, String backbone) {
        Npy.Array a = Npy.read(file);
        float[] values = switch (a.dtype()) {
            case FLOAT32 -> a.floats();
            case FLOAT64 -> toFloats(a.doubles());
            default -> throw new ConfigException("latents " + file + ": holds " + a.dtype().descr()
                    + " values; expected float32 or float64");
        };
        long[] shape = a.shape();
        long[] want = shape(space, layout);
        if (shape.length < 2 || !(Arrays.equals(tail(shape), want) || (shape.length == 2 && shape[1] == count(want)))) {
            StringBuilder m = new StringBuilder("latents " + file + ": shape " + Arrays.toString(shape) + " does not fit the "
                    + space.label + " space of backbone " + backbone + ": expected [n, " + join(want) + "]"
                    + (want.length > 1 ? " or [n, " + count(want) + "]" : ""));
            if (shape.length < 2) {
                m.append("; a single latent needs the batch axis too ([1, ...])");
            }
            List<String> fits = new ArrayList<>();
            for (Space other : Space.values()) {
                long[] o = shape(other, layout);
                if (other != space && shape.length >= 2 && (Arrays.equals(tail(shape), o) || (shape.length == 2 && shape[1] == count(o)))) {
                    fits.add(other.label);
                }
            }
            if (!fits.isEmpty()) {
                m.append("; that shape fits --space ").append(String.join(" or ", fits));
            }
            throw new ConfigException(m.toString());
        }
        int n = (int) shape[0];
        int per = (int) count(want);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ConfigException(String.format(Locale.ROOT, "latents %s: row %d holds %s", file, i / per, values[i]));
            }
        }
        return new LatentFile(file, space, want, values, n);
    }

    /** Shape of one latent of {@code space}, without the batch axis. */
    static long[] shape(Space space, LatentLayout layout) {
        int[] z = layout.zShape();
        int[] w = layout.wShape();
        return switch (space) {
            case Z -> longs(z);
            case W -> longs(w);
            case W_PLUS -> { // num_ws inserted before the last axis: [num_ws, w_dim] or [components, num_ws, d]
                long[] p = new long[w.length + 1];
                for (int i = 0; i < w.length - 1; i++) {
                    p[i] = w[i];
                }
                p[w.length - 1] = layout.numWs();
                p[w.length] = w[w.length - 1];
                yield p;
            }
            case FIT -> new long[] {layout.fitDim()};
        };
    }

    public Space space() {
        return space;
    }

    public Path file() {
        return file;
    }

    public int rows() {
        return rows;
    }

    /** Refuses rows outside the file, naming the first. */
    public void checkRows(long[] indices) {
        for (long r : indices) {
            if (r < 0 || r >= rows) {
                throw new ConfigException("--rows: row " + r + " is outside latents " + file + " (" + rows + " rows: 0-" + (rows - 1) + ")");
            }
        }
    }

    /** The given rows, shaped as the space's tensors are ([k, shape...]); rows outside the file are an error. */
    public FloatTensor take(long[] indices) {
        checkRows(indices);
        int per = (int) count(sampleShape);
        float[] out = new float[indices.length * per];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(data, (int) indices[k] * per, out, k * per, per);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return FloatTensor.of(out, shape);
    }

    private static long[] tail(long[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static long count(long[] shape) {
        long c = 1;
        for (long s : shape) {
            c *= s;
        }
        return c;
    }

    private static long[] longs(int[] a) {
        return Arrays.stream(a).asLongStream().toArray();
    }

    private static String join(long[] a) {
        return String.join(", ", Arrays.stream(a).mapToObj(Long::toString).toList());
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
