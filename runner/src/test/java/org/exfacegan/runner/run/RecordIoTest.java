package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train.rec / train.idx / property of a tiny-world run, read back as insightface reads them. */
class RecordIoTest {
    @TempDir
    Path dir;

    @Test
    void indexPointsAtRecordsWhoseLabelsDescribeTheIdentities() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "rec", ", \"dataset\": {\"recordio\": true}", 16));
        Path out = dir.resolve("rec");
        ByteBuffer rec = ByteBuffer.wrap(Files.readAllBytes(out.resolve("train.rec"))).order(ByteOrder.LITTLE_ENDIAN);
        List<String> idx = Files.readAllLines(out.resolve("train.idx"));
        assertEquals("6,8,8", Files.readString(out.resolve("property")).strip()); // 6 classes of 8x8 tiny-world crops
        assertEquals(1 + 30 + 6, idx.size());
        float[] head = labels(rec, offset(idx, 0));
        assertEquals(31f, head[0]); // first identity record
        assertEquals(37f, head[1]); // end
        for (int c = 0; c < 6; c++) {
            float[] range = labels(rec, offset(idx, 31 + c));
            assertEquals(1 + 5 * c, (int) range[0]);
            assertEquals(1 + 5 * (c + 1), (int) range[1]);
            for (int i = (int) range[0]; i < range[1]; i++) {
                assertEquals(c, (int) labels(rec, offset(idx, i))[0]);
                // the payload after the 24-byte header is the identity's PNG, byte for byte
                byte[] png = Files.readAllBytes(out.resolve(String.format("images/%05d/%04d.png", c, i - (int) range[0])));
                assertEquals(24 + png.length, rec.getInt(offset(idx, i) + 4) & ((1 << 29) - 1));
            }
        }
    }

    private static int offset(List<String> idx, int record) {
        String[] parts = idx.get(record).split("\t");
        assertEquals(record, Integer.parseInt(parts[0]));
        return Integer.parseInt(parts[1]);
    }

    /** The labels of the record at that offset: one, or the array a positive flag announces. */
    private static float[] labels(ByteBuffer rec, int at) {
        assertEquals(0xced7230a, rec.getInt(at));
        int flag = rec.getInt(at + 8);
        if (flag == 0) {
            return new float[] {rec.getFloat(at + 12)};
        }
        float[] out = new float[flag];
        for (int i = 0; i < flag; i++) {
            out[i] = rec.getFloat(at + 8 + 24 + 4 * i);
        }
        return out;
    }
}
