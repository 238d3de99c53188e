package org.exfacegan.runner.dataset;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;

/**
 * insightface's training format, written as a stream: MXNet RecordIO ({@code train.rec}) and its
 * index ({@code train.idx}). Record 0 is a header whose label is [first identity record, end];
 * records 1..N are images (label = class id, id = record number); then one record per identity
 * whose label is the [start, end) range of its image records. Images go in encoded (PNG or JPEG;
 * insightface decodes them with imdecode). Memory holds one record and one count per identity,
 * whatever the dataset's size: record 0 is written as a placeholder of its final size and filled
 * in by {@link #finish}.
 */
public final class RecordIoWriter implements AutoCloseable {
    static final int MAGIC = 0xced7230a;
    /** The length field keeps 29 bits (the top 3 are MXNet's continuation flag). */
    static final int MAX_RECORD = (1 << 29) - 1;
    /** Labels are float32: record numbers beyond 2^24 would be rounded. */
    static final long MAX_RECORDS = 1L << 24;

    private final Path recFile;
    private final Path idxFile;
    private final OutputStream rec;
    private final Writer idx;
    private long offset;
    private long record;
    private int[] perClass = new int[64];
    private int classes;
    private boolean finished;

    /** Creates (or truncates) both files; close() without finish() leaves them incomplete, for the caller to delete. */
    public RecordIoWriter(Path recFile, Path idxFile) throws IOException {
        this.recFile = recFile;
        this.idxFile = idxFile;
        this.rec = new BufferedOutputStream(Files.newOutputStream(recFile), 1 << 16);
        this.idx = Files.newBufferedWriter(idxFile, StandardCharsets.US_ASCII);
        append(header(new float[] {0, 0}, 0), null); // placeholder of record 0's size
    }

    /** Appends an image of class {@code classId}; classes come in order 0, 1, 2, ... (a class may not return). */
    public void add(int classId, byte[] encoded) throws IOException {
        if (classId < classes - 1 || classId < 0) {
            throw new IllegalArgumentException("class " + classId + " after class " + (classes - 1) + ": classes must come in order");
        }
        while (classes <= classId) {
            if (classes == perClass.length) {
                perClass = Arrays.copyOf(perClass, classes * 2);
            }
            perClass[classes++] = 0;
        }
        if (record + classes + 1 > MAX_RECORDS) {
            throw new ExfaceganException("RecordIO: more than " + MAX_RECORDS + " records cannot be labelled exactly (float32 labels)");
        }
        perClass[classId]++;
        append(header(new float[] {classId}, record), encoded);
    }

    /**
     * Appends the records of {@code classCount} identities (those never given an image are empty),
     * fills in record 0 and forces {@code train.rec} and {@code train.idx} to disk. Returns the
     * {@code property} text ("classes,size,size").
     */
    public String finish(int classCount, int size) throws IOException {
        if (classCount < classes) {
            throw new IllegalArgumentException(classCount + " classes, but images of class " + (classes - 1) + " were added");
        }
        if (classCount > perClass.length) {
            perClass = Arrays.copyOf(perClass, classCount);
        }
        classes = classCount;
        int images = (int) (record - 1);
        long start = 1;
        for (int c = 0; c < classes; c++) {
            long end = start + perClass[c];
            append(header(new float[] {start, end}, 0), null);
            start = end;
        }
        rec.flush();
        idx.flush();
        finished = true;
        rec.close();
        idx.close();
        try (FileChannel ch = FileChannel.open(recFile, StandardOpenOption.WRITE)) {
            ByteBuffer head = frame(header(new float[] {images + 1, images + 1 + classes}, 0), null);
            while (head.hasRemaining()) {
                ch.write(head, head.position());
            }
            ch.force(true);
        }
        try (FileChannel ch = FileChannel.open(idxFile, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return classes + "," + size + "," + size + "\n";
    }

    /** Records written so far (record 0 included). */
    public long records() {
        return record;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            try {
                rec.close();
            } finally {
                idx.close();
            }
        }
    }

    /** IRHeader (flag uint32, label float32, id uint64, id2 uint64); labels beyond one follow it. */
    static byte[] header(float[] label, long id) {
        boolean scalar = label.length == 1;
        ByteBuffer b = ByteBuffer.allocate(24 + (scalar ? 0 : 4 * label.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(scalar ? 0 : label.length);
        b.putFloat(scalar ? label[0] : 0f);
        b.putLong(id);
        b.putLong(0);
        if (!scalar) {
            for (float f : label) {
                b.putFloat(f);
            }
        }
        return b.array();
    }

    private void append(byte[] header, byte[] payload) throws IOException {
        idx.write(record + "\t" + offset + "\n");
        ByteBuffer b = frame(header, payload);
        rec.write(b.array(), 0, b.limit());
        offset += b.limit();
        record++;
    }

    /** Magic, length (continuation flag 0: the whole record in one piece), header, payload, zero padding to 4 bytes. */
    private static ByteBuffer frame(byte[] header, byte[] payload) {
        long length = header.length + (payload == null ? 0L : payload.length);
        if (length > MAX_RECORD) {
            throw new ExfaceganException("RecordIO: a record of " + length + " bytes exceeds the format's " + MAX_RECORD);
        }
        int padded = (int) (8 + length + (4 - length % 4) % 4);
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC);
        b.putInt((int) length);
        b.put(header);
        if (payload != null) {
            b.put(payload);
        }
        b.position(0);
        return b;
    }
}
