package org.exfacegan.training.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.dataset.ImageFiles;

/**
 * insightface's MXNet RecordIO training files: {@code train.rec} and its index {@code train.idx}
 * ({@code key<TAB>offset} per line). Record 0, when its header carries two labels, says which keys are
 * images ({@code 1 .. label[0]-1}, as insightface's loader reads it); otherwise every record is an
 * image. An image record's label (its first label when it has several) is its identity; the payload
 * after the header is the encoded image. Records are read on demand from the file.
 */
final class RecordIoDataset extends IndexedDataset {
    static final int MAGIC = 0xced7230a;
    private static final int IR_HEADER = 24;

    private final FileChannel rec;
    private final long[] offsets;
    private final int[] keys;

    private RecordIoDataset(Path file, List<String> names, int[] counts, FileChannel rec, long[] offsets, int[] keys) {
        super(file, names, counts, List.of());
        this.rec = rec;
        this.offsets = offsets;
        this.keys = keys;
    }

    static RecordIoDataset open(Path recFile) {
        Path idxFile = recFile.resolveSibling(stem(recFile) + ".idx");
        TreeMap<Integer, Long> index = readIndex(idxFile);
        FileChannel ch;
        try {
            ch = FileChannel.open(recFile, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ExfaceganException("RecordIO file not found: " + recFile);
        } catch (IOException e) {
            throw new ExfaceganException("cannot open RecordIO file " + recFile + ": " + e.getMessage(), e);
        }
        try {
            Reader r = new Reader(recFile, ch);
            List<Integer> imageKeys = new ArrayList<>();
            Header first = index.containsKey(0) ? r.header(0, index.get(0)) : null;
            if (first != null && first.labels.length >= 2) {
                int end = (int) first.labels[0];
                for (int k = 1; k < end; k++) {
                    if (!index.containsKey(k)) {
                        throw new ExfaceganException("RecordIO " + recFile + ": record 0 says images are records 1.." + (end - 1)
                                + ", but " + idxFile + " has no record " + k);
                    }
                    imageKeys.add(k);
                }
            } else {
                imageKeys.addAll(index.keySet());
            }
            if (imageKeys.isEmpty()) {
                throw new ExfaceganException("RecordIO " + recFile + " holds no image records");
            }
            // label of every image record, then samples grouped by label (identity), keys in order within
            long[] byLabel = new long[imageKeys.size()];
            for (int i = 0; i < imageKeys.size(); i++) {
                int key = imageKeys.get(i);
                Header h = r.header(key, index.get(key));
                float label = h.labels[0];
                if (!(label >= 0 && label == Math.rint(label) && label < Integer.MAX_VALUE)) {
                    throw new ExfaceganException("RecordIO " + recFile + ", record " + key + ": label " + label
                            + " is not an identity number (a non-negative integer)");
                }
                byLabel[i] = ((long) label << 32) | key;
            }
            Arrays.sort(byLabel);
            List<String> names = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            long[] offsets = new long[byLabel.length];
            int[] keys = new int[byLabel.length];
            long previous = -1;
            for (int i = 0; i < byLabel.length; i++) {
                long label = byLabel[i] >>> 32;
                keys[i] = (int) byLabel[i];
                offsets[i] = index.get(keys[i]);
                if (label != previous) {
                    names.add(Long.toString(label));
                    counts.add(0);
                    previous = label;
                }
                counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
            }
            return new RecordIoDataset(recFile, names, counts.stream().mapToInt(Integer::intValue).toArray(), ch, offsets, keys);
        } catch (RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the error above is what matters
            }
            throw e;
        }
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** {@code key<TAB>offset} lines. */
    private static TreeMap<Integer, Long> readIndex(Path idx) {
        List<String> lines;
        try {
            lines = Files.readAllLines(idx);
        } catch (NoSuchFileException e) {
            throw new ExfaceganException("RecordIO index not found: " + idx + " (it belongs beside the .rec file)");
        } catch (IOException e) {
            throw new ExfaceganException("cannot read RecordIO index " + idx + ": " + e.getMessage(), e);
        }
        TreeMap<Integer, Long> index = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                int key = Integer.parseInt(parts[0]);
                long offset = Long.parseLong(parts[1]);
                if (key < 0 || offset < 0 || index.put(key, offset) != null) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ExfaceganException("RecordIO index " + idx + ", line " + (i + 1) + ": \"" + line
                        + "\" is not \"key<TAB>offset\" with a new non-negative key");
            }
        }
        if (index.isEmpty()) {
            throw new ExfaceganException("RecordIO index " + idx + " is empty");
        }
        return index;
    }

    /** IRHeader labels of a record and where its payload starts. */
    private record Header(float[] labels, long payloadStart, int payloadLength) {}

    /** Reads records by offset, checking magic, lengths and bounds. */
    private record Reader(Path file, FileChannel ch) {
        Header header(int key, long offset) {
            ByteBuffer b = read(key, offset, 8 + IR_HEADER);
            if (b.getInt() != MAGIC) {
                throw corrupt(key, offset, "no RecordIO magic number there");
            }
            int lrec = b.getInt();
            int continuation = lrec >>> 29;
            int length = lrec & ((1 << 29) - 1);
            if (continuation != 0) {
                throw corrupt(key, offset, "split into parts (continuation flag " + continuation + "), which image records never are");
            }
            int flag = b.getInt();
            float label = b.getFloat();
            int headerBytes = IR_HEADER + 4 * Math.max(flag, 0);
            if (flag < 0 || flag > 1024 || length < headerBytes) {
                throw corrupt(key, offset, "header declares " + flag + " labels in a record of " + length + " bytes");
            }
            float[] labels = {label};
            if (flag > 0) {
                ByteBuffer l = read(key, offset + 8 + IR_HEADER, 4 * flag);
                labels = new float[flag];
                for (int i = 0; i < flag; i++) {
                    labels[i] = l.getFloat();
                }
            }
            return new Header(labels, offset + 8 + headerBytes, length - headerBytes);
        }

        ByteBuffer read(int key, long offset, int length) {
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            try {
                long size = ch.size();
                if (offset + length > size) {
                    throw corrupt(key, offset, "it ends past the end of the file (" + size + " bytes): truncated file or wrong index");
                }
                while (b.hasRemaining()) {
                    if (ch.read(b, offset + b.position()) < 0) {
                        throw corrupt(key, offset, "unexpected end of file");
                    }
                }
            } catch (IOException e) {
                throw new ExfaceganException("cannot read RecordIO " + file + ", record " + key + ": " + e.getMessage(), e);
            }
            return b.flip();
        }

        ExfaceganException corrupt(int key, long offset, String why) {
            return new ExfaceganException("RecordIO " + file + ", record " + key + " at byte " + offset + ": " + why);
        }
    }

    @Override
    public String kind() {
        return "recordio";
    }

    @Override
    public ImageBatch read(int sample) {
        Reader r = new Reader(source(), rec);
        Header h = r.header(keys[sample], offsets[sample]);
        ByteBuffer payload = r.read(keys[sample], h.payloadStart(), h.payloadLength());
        return ImageFiles.decode(payload.array(), describe(sample));
    }

    @Override
    public String describe(int sample) {
        return source() + " record " + keys[sample];
    }
}
