package org.exfacegan.runner.dataset;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The RecordIO writer the runner used before it streamed ({@link RecordIoWriter}), kept unchanged as
 * the oracle the streamed files must equal byte for byte, and as the benchmark's in-memory baseline:
 * everything in one byte array (so at most 2 GiB).
 */
public final class InMemoryRecordIo {
    static final int MAGIC = 0xced7230a;

    private InMemoryRecordIo() {}

    /** The three files' contents. */
    public record Files(byte[] rec, String idx, String property) {}

    /**
     * @param imagesPerIdentity per identity, its encoded images in order
     * @param size              image side (the aligned crops are square)
     */
    public static Files write(List<List<byte[]>> imagesPerIdentity, int size) {
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        StringBuilder idx = new StringBuilder();
        int images = imagesPerIdentity.stream().mapToInt(List::size).sum();
        int classes = imagesPerIdentity.size();
        int record = 0;
        append(rec, idx, record++, header(new float[] {images + 1, images + 1 + classes}, 0), null);
        for (int c = 0; c < classes; c++) {
            for (byte[] png : imagesPerIdentity.get(c)) {
                append(rec, idx, record, header(new float[] {c}, record), png);
                record++;
            }
        }
        int start = 1;
        for (int c = 0; c < classes; c++) {
            int end = start + imagesPerIdentity.get(c).size();
            append(rec, idx, record++, header(new float[] {start, end}, 0), null);
            start = end;
        }
        return new Files(rec.toByteArray(), idx.toString(), classes + "," + size + "," + size + "\n");
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

    private static void append(ByteArrayOutputStream rec, StringBuilder idx, int record, byte[] header, byte[] payload) {
        idx.append(record).append('\t').append(rec.size()).append('\n');
        int length = header.length + (payload == null ? 0 : payload.length);
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC);
        b.putInt(length); // continuation flag 0: the whole record in one piece (length < 2^29)
        rec.writeBytes(b.array());
        rec.writeBytes(header);
        if (payload != null) {
            rec.writeBytes(payload);
        }
        rec.writeBytes(new byte[(4 - length % 4) % 4]);
    }
}
