package org.exfacegan.training.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Bookkeeping shared by the readers: identity names, each sample's label, each identity's sample range. */
abstract class IndexedDataset implements FaceDataset {
    private final Path source;
    private final List<String> names;
    private final int[] labels;
    private final int[] starts;
    private final List<String> skipped;

    /** @param counts images per identity, in label order (each >= 1) */
    IndexedDataset(Path source, List<String> names, int[] counts, List<String> skipped) {
        this.source = source;
        this.names = List.copyOf(names);
        this.skipped = List.copyOf(skipped);
        starts = new int[counts.length + 1];
        for (int i = 0; i < counts.length; i++) {
            starts[i + 1] = starts[i] + counts[i];
        }
        labels = new int[starts[counts.length]];
        for (int i = 0; i < counts.length; i++) {
            Arrays.fill(labels, starts[i], starts[i + 1], i);
        }
    }

    @Override
    public Path source() {
        return source;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> identityNames() {
        return names;
    }

    @Override
    public int label(int sample) {
        return labels[sample];
    }

    @Override
    public int[] samplesOf(int identity) {
        int[] out = new int[starts[identity + 1] - starts[identity]];
        for (int i = 0; i < out.length; i++) {
            out[i] = starts[identity] + i;
        }
        return out;
    }

    @Override
    public List<String> skipped() {
        return new ArrayList<>(skipped);
    }
}
