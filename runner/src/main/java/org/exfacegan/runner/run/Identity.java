package org.exfacegan.runner.run;

import java.util.ArrayList;
import java.util.List;

/**
 * One identity of the dataset: a reference probe and the side of its boundary the samples come from.
 *
 * @param index     position in the dataset (names are {@code %05d} of it; never taken from input)
 * @param reference probe index of the reference face
 * @param boundary  row of boundaries.npy
 * @param side      +1 the reference's own (similar) side, -1 the other side as a second identity (paper mode)
 */
public record Identity(int index, int reference, int boundary, int side) {
    public String name() {
        return name(index);
    }

    /** The folder name of identity {@code index}. */
    public static String name(int index) {
        return String.format("%05d", index);
    }

    /** The identities of a run: one per reference, in order; with both sides, each followed by its other side. */
    public static List<Identity> of(List<Integer> references, boolean bothSides) {
        List<Identity> out = new ArrayList<>();
        for (int b = 0; b < references.size(); b++) {
            out.add(new Identity(out.size(), references.get(b), b, +1));
            if (bothSides) {
                out.add(new Identity(out.size(), references.get(b), b, -1));
            }
        }
        return out;
    }
}
