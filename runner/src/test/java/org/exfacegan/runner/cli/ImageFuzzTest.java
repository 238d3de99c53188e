package org.exfacegan.runner.cli;

import org.exfacegan.runner.dataset.ImageFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image files given to {@code embed} and {@code verify}: corrupt or hostile ones (truncated, bit
 * flips, a PNG header declaring 100,000 x 100,000 pixels) must end in our error, never a decoder's
 * exception or an allocation the size of what the header claims.
 */
class ImageFuzzTest {
    static final int CASES = Integer.getInteger("exfacegan.fuzzCases", 3000) / 3;

    @TempDir
    Path dir;

    @Test
    void onlyRegularFilesOfBoundedSizeAreReadAsImages() throws IOException {
        ExfaceganException device = org.junit.jupiter.api.Assertions.assertThrows(ExfaceganException.class,
                () -> ImageFiles.read(Path.of("/dev/zero")));
        assertEquals("image /dev/zero is not a regular file but a device, pipe or socket; give the path of a file", device.getMessage());
        Path big = dir.resolve("big.png");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(ImageFiles.MAX_BYTES + 1); // sparse: nothing is written or read
        }
        assertEquals("image " + big + " is " + (ImageFiles.MAX_BYTES + 1) + " bytes, over the limit of " + ImageFiles.MAX_BYTES
                + " for this input", org.junit.jupiter.api.Assertions.assertThrows(ExfaceganException.class,
                        () -> ImageFiles.read(big)).getMessage());
    }

    @Test
    void hostileImagesGiveOurErrorOnly() throws IOException {
        List<byte[]> bases = List.of(encode("png"), encode("jpg"), encode("bmp"), encode("gif"));
        SplittableRandom rnd = new SplittableRandom(Long.getLong("exfacegan.fuzzSeed", 20261128L));
        Path file = dir.resolve("img");
        List<String> escaped = new ArrayList<>();
        int parsed = 0;
        int refused = 0;
        long maxAllocated = 0;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<byte[]> inputs = new ArrayList<>();
        for (int[] size : new int[][] {{100_000, 100_000}, {1 << 30, 1}, {-1, 5}, {0, 0}, {65_535, 65_535}}) {
            inputs.add(pngWithSize(bases.get(0), size[0], size[1]));
        }
        for (int i = 0; i < CASES; i++) {
            byte[] base = bases.get(rnd.nextInt(bases.size()));
            inputs.add(switch (rnd.nextInt(3)) {
                case 0 -> java.util.Arrays.copyOf(base, rnd.nextInt(base.length + 1));
                case 1 -> pngWithSize(bases.get(0), 1 + rnd.nextInt(1 << 20), 1 + rnd.nextInt(1 << 20));
                default -> flip(base, rnd);
            });
        }
        for (byte[] input : inputs) {
            Files.write(file, input);
            long before = mx.getCurrentThreadAllocatedBytes();
            try {
                ImageFiles.read(file);
                parsed++;
            } catch (ExfaceganException e) {
                refused++;
            } catch (RuntimeException | Error e) {
                escaped.add(e.toString());
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            maxAllocated = Math.max(maxAllocated, allocated);
            if (allocated > (64L << 20) + 16 * ImageFiles.MAX_PIXELS) { // the stated limit, never what a header claims
                escaped.add("allocated " + allocated + " bytes");
            }
        }
        System.out.printf("fuzz %-22s %5d cases: %5d parsed, %5d refused with our error, %d escaped; max %.1f MiB allocated per case%n",
                "image (embed/verify)", inputs.size(), parsed, refused, escaped.size(), maxAllocated / 1048576.0);
        assertEquals(List.of(), escaped.subList(0, Math.min(5, escaped.size())));
        assertTrue(refused > inputs.size() / 3);
    }

    private static byte[] encode(String format) throws IOException {
        BufferedImage img = new BufferedImage(24, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                img.setRGB(x, y, (x * 10) << 16 | (y * 15) << 8 | (x + y));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A PNG whose IHDR declares another size (CRC fixed, so the decoder believes it). */
    private static byte[] pngWithSize(byte[] png, int width, int height) {
        byte[] b = png.clone();
        ByteBuffer buf = ByteBuffer.wrap(b); // IHDR data at 16..28, its CRC at 29..32
        buf.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        return b;
    }

    private static byte[] flip(byte[] base, SplittableRandom rnd) {
        byte[] b = base.clone();
        for (int e = 0; e < 1 + rnd.nextInt(8); e++) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }
}
