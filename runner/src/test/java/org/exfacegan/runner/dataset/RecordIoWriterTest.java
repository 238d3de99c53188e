package org.exfacegan.runner.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamed writer against the in-memory one it replaced: the same bytes, whatever the payload sizes. */
class RecordIoWriterTest {
    @TempDir
    Path dir;

    @Test
    void streamedFilesEqualTheInMemoryWritersByteForByte() throws IOException {
        Random rnd = new Random(7);
        List<List<byte[]>> classes = new ArrayList<>();
        for (int c = 0; c < 9; c++) {
            List<byte[]> images = new ArrayList<>();
            int n = c == 4 || c == 8 ? 0 : 1 + rnd.nextInt(6); // classes without an image: empty ranges
            for (int i = 0; i < n; i++) {
                byte[] payload = new byte[rnd.nextInt(40)]; // every length mod 4: padding
                rnd.nextBytes(payload);
                images.add(payload);
            }
            classes.add(images);
        }
        InMemoryRecordIo.Files expected = InMemoryRecordIo.write(classes, 112);
        Path rec = dir.resolve("train.rec");
        Path idx = dir.resolve("train.idx");
        String property;
        try (RecordIoWriter w = new RecordIoWriter(rec, idx)) {
            for (int c = 0; c < classes.size(); c++) {
                for (byte[] p : classes.get(c)) {
                    w.add(c, p);
                }
            }
            property = w.finish(classes.size(), 112);
        }
        assertArrayEquals(expected.rec(), Files.readAllBytes(rec));
        assertEquals(expected.idx(), Files.readString(idx));
        assertEquals(expected.property(), property);
    }

    @Test
    void classesComeInOrder() throws IOException {
        try (RecordIoWriter w = new RecordIoWriter(dir.resolve("r"), dir.resolve("i"))) {
            w.add(1, new byte[3]);
            assertThrows(IllegalArgumentException.class, () -> w.add(0, new byte[3]));
            assertThrows(IllegalArgumentException.class, () -> w.finish(1, 8));
        }
    }
}
