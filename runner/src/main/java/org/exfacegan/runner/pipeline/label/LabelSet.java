package org.exfacegan.runner.pipeline.label;

import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;

/**
 * Labels of every reference over one shared probe set: one byte per (reference, probe), +1 similar,
 * -1 dissimilar, 0 unused (the reference itself, a probe the rule leaves out, or one dropped to
 * balance the sides). {@code self[r]} is the probe index of reference r, or -1 if it is not a probe.
 */
public final class LabelSet {
    private final int references;
    private final int probes;
    private final byte[] sides;
    private final int[] self;

    public LabelSet(int references, int probes, byte[] sides, int[] self) {
        if (sides.length != (long) references * probes || self.length != references) {
            throw new ExfaceganException("label set: " + references + " references x " + probes + " probes needs "
                    + (long) references * probes + " labels and " + references + " self indices, got "
                    + sides.length + " and " + self.length);
        }
        for (byte s : sides) {
            if (s < -1 || s > 1) {
                throw new ExfaceganException("label set: label " + s + " is not -1, 0 or +1");
            }
        }
        this.references = references;
        this.probes = probes;
        this.sides = sides;
        this.self = self.clone();
    }

    public int references() {
        return references;
    }

    public int probes() {
        return probes;
    }

    public byte side(int reference, int probe) {
        return sides[reference * probes + probe];
    }

    /** Copies reference r's labels over all probes into {@code dst[0..probes)}. */
    public void copyRow(int reference, byte[] dst) {
        System.arraycopy(sides, reference * probes, dst, 0, probes);
    }

    /** Probe index of the reference, -1 if none. */
    public int self(int reference) {
        return self[reference];
    }

    public int count(int reference, byte side) {
        int n = 0;
        for (int i = reference * probes, e = i + probes; i < e; i++) {
            if (sides[i] == side) {
                n++;
            }
        }
        return n;
    }

    /** Probe indices with the given side, ascending. */
    public int[] indices(int reference, byte side) {
        int[] out = new int[count(reference, side)];
        for (int i = 0, k = 0; i < probes; i++) {
            if (sides[reference * probes + i] == side) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The reference's labels as a float column (+1 / -1 / 0), the usual regression target. */
    public float[] column(int reference) {
        float[] c = new float[probes];
        for (int i = 0; i < probes; i++) {
            c[i] = sides[reference * probes + i];
        }
        return c;
    }

    /** The first {@code count} references' labels. */
    public LabelSet head(int count) {
        if (count < 0 || count > references) {
            throw new ExfaceganException("label set has " + references + " references, asked for the first " + count);
        }
        return new LabelSet(count, probes, Arrays.copyOf(sides, count * probes), Arrays.copyOf(self, count));
    }

    /** Raw row-major labels (not copied). */
    byte[] raw() {
        return sides;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet l && l.references == references && l.probes == probes
                && Arrays.equals(l.sides, sides) && Arrays.equals(l.self, self);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sides);
    }
}
