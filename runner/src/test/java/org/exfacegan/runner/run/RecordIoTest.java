package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.dataset.InMemoryRecordIo;
import org.exfacegan.runner.dataset.Png;

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

    /** The streamed files equal what the in-memory writer (the runner's before it streamed) made of the same images. */
    @Test
    void pngRecordIoIsByteIdenticalToTheInMemoryWriter() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "rec", ", \"dataset\": {\"recordio\": true, \"recordio_format\": \"png\"}", 16));
        Path out = dir.resolve("rec");
        List<List<byte[]>> images = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            List<byte[]> one = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                one.add(Files.readAllBytes(out.resolve(String.format("images/%05d/%04d.png", c, i))));
            }
            images.add(one);
        }
        InMemoryRecordIo.Files expected = InMemoryRecordIo.write(images, 8);
        assertArrayEquals(expected.rec(), Files.readAllBytes(out.resolve("train.rec")));
        assertEquals(expected.idx(), Files.readString(out.resolve("train.idx")));
        assertEquals(expected.property(), Files.readString(out.resolve("property")));
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void jpegRecordIoHoldsJpegsOfTheDatasetImagesAtTheQualityAsked() throws IOException {
        long[] bytes = new long[2];
        int k = 0;
        for (int quality : new int[] {30, 100}) {
            String name = "jpeg" + quality;
            TinyRuns.run(TinyRuns.config(dir, name, ", \"dataset\": {\"recordio\": true, \"recordio_format\": \"jpeg\", "
                    + "\"jpeg_quality\": " + quality + "}", 16));
            Path out = dir.resolve(name);
            ByteBuffer rec = ByteBuffer.wrap(Files.readAllBytes(out.resolve("train.rec"))).order(ByteOrder.LITTLE_ENDIAN);
            List<String> idx = Files.readAllLines(out.resolve("train.idx"));
            assertEquals(1 + 30 + 6, idx.size());
            for (int i = 1; i <= 30; i++) {
                int at = offset(idx, i);
                int length = rec.getInt(at + 4) & ((1 << 29) - 1);
                byte[] payload = new byte[length - 24];
                rec.get(at + 8 + 24, payload);
                assertEquals((byte) 0xFF, payload[0]); // JPEG start-of-image marker
                assertEquals((byte) 0xD8, payload[1]);
                BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(payload));
                int c = (int) labels(rec, at)[0];
                int first = (int) labels(rec, offset(idx, 31 + c))[0];
                BufferedImage png = ImageIO.read(out.resolve(String.format("images/%05d/%04d.png", c, i - first)).toFile());
                assertEquals(8, jpeg.getWidth());
                if (quality == 100) { // lossy, but close to the dataset's image
                    assertTrue(meanAbsDiff(png, jpeg) < 12, "record " + i + ": mean |diff| " + meanAbsDiff(png, jpeg));
                }
                bytes[k] += payload.length;
            }
            k++;
        }
        assertTrue(bytes[0] < bytes[1], "quality 30 (" + bytes[0] + " bytes) is smaller than 100 (" + bytes[1] + ")");
    }

    @Test
    void encodingOptionsAreCheckedWhereTheyHaveAnEffect() throws IOException {
        assertConfigError(", \"dataset\": {\"recordio_format\": \"jpeg\"}", "/dataset/recordio_format: applies only with \"recordio\": true");
        assertConfigError(", \"dataset\": {\"recordio\": true, \"recordio_format\": \"webp\"}",
                "/dataset/recordio_format: unknown value \"webp\"; one of: png, jpeg");
        assertConfigError(", \"dataset\": {\"recordio\": true, \"jpeg_quality\": 90}",
                "/dataset/jpeg_quality: applies only with \"recordio_format\": \"jpeg\"");
        assertConfigError(", \"dataset\": {\"recordio\": true, \"recordio_format\": \"jpeg\", \"jpeg_quality\": 0}",
                "/dataset/jpeg_quality: is 0.0, must be in [1.0, 100.0]");
        assertConfigError(", \"dataset\": {\"recordio\": true, \"recordio_format\": \"jpeg\", \"jpeg_quality\": 101}",
                "/dataset/jpeg_quality: is 101.0, must be in [1.0, 100.0]");
        // configs that do not use the options serialise as before, so their config hash (and resumes) are unchanged
        String json = ConfigLoader.toJson(TinyRuns.resolve(TinyRuns.config(dir, "plain", "", 16)).config());
        assertFalse(json.contains("recordio_format") || json.contains("jpeg_quality"), json);
    }

    private void assertConfigError(String extra, String message) throws IOException {
        Path c = TinyRuns.config(dir, "bad", extra, 16);
        ConfigException e = assertThrows(ConfigException.class, () -> TinyRuns.resolve(c));
        assertTrue(e.getMessage().endsWith(message), e.getMessage());
    }

    /**
     * Memory stays flat: a child JVM with a 64 MiB heap writes 20,000 records of 4 KiB (80 MiB of
     * train.rec, more than its whole heap), and they read back.
     */
    @Test
    void twentyThousandRecordsFitInASixtyFourMegabyteHeap() throws Exception {
        int identities = 400;
        int perIdentity = 50;
        byte[] png = noisePng(36); // ~4 KiB: noise does not compress
        Path root = dir.resolve("big");
        for (int c = 0; c < identities; c++) {
            Path id = Files.createDirectories(root.resolve(String.format("images/%05d", c)));
            for (int i = 0; i < perIdentity; i++) {
                Files.write(id.resolve(String.format("%04d.png", i)), png);
            }
        }
        Path log = dir.resolve("child.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), RecordIoChild.class.getName(), root.toString(),
                Integer.toString(identities), "png");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child did not finish");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        long size = Files.size(root.resolve("train.rec"));
        System.out.printf("RecordIO in a 64 MiB heap: %d records, train.rec %.1f MiB, child's %s bytes%n",
                identities * perIdentity, size / 1048576.0, output.strip());
        assertTrue(size > 64L << 20, "train.rec " + size + " bytes: more than the child's heap");
        List<String> idx = Files.readAllLines(root.resolve("train.idx"));
        assertEquals(1 + identities * perIdentity + identities, idx.size());
        assertEquals(identities + ",36,36", Files.readString(root.resolve("property")).strip());
        ByteBuffer rec = ByteBuffer.wrap(Files.readAllBytes(root.resolve("train.rec"))).order(ByteOrder.LITTLE_ENDIAN);
        int last = identities * perIdentity;
        assertEquals(identities - 1, (int) labels(rec, offset(idx, last))[0]);
        assertEquals(last + 1f, labels(rec, 0)[0]);
        float[] range = labels(rec, offset(idx, last + identities));
        assertEquals(last + 1 - perIdentity, (int) range[0]);
        assertEquals(last + 1, (int) range[1]);
    }

    private static byte[] noisePng(int side) {
        byte[] rgb = new byte[side * side * 3];
        new java.util.Random(3).nextBytes(rgb);
        return Png.encode(new ImageBatch(1, side, side, rgb), 0);
    }

    private static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        double s = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int sh = 0; sh < 24; sh += 8) {
                    s += Math.abs(((p >> sh) & 0xff) - ((q >> sh) & 0xff));
                }
            }
        }
        return s / (a.getWidth() * a.getHeight() * 3);
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
