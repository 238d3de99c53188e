package org.exfacegan.runner.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * insightface .bin files: read from files Python's own pickle writes as insightface's
 * lfw2pack.py does (and as Python 2 wrote the published ones), written so that Python reads
 * them as insightface's verification.py does, and hostile files refused with our message.
 */
class InsightfaceBinTest {
    @TempDir
    Path dir;

    /** Six small images (PNG and JPEG, one over 256 bytes, one under) and three labels. */
    private List<Path> images() throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BufferedImage img = new BufferedImage(i == 0 ? 4 : 16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, (x * 16 + i * 40) << 16 | (y * 16) << 8 | ((x * y + i * 7) & 0xff));
                }
            }
            Path p = dir.resolve("img" + i + (i % 2 == 0 ? ".png" : ".jpg"));
            ImageIO.write(img, i % 2 == 0 ? "png" : "jpg", p.toFile());
            out.add(p);
        }
        return out;
    }

    /** The protocols insightface's scripts produce: Python 3's highest (lfw2pack.py), Python 2's str pickles, and the rest. */
    @ParameterizedTest
    @ValueSource(strings = {"highest", "py2", "0", "1", "2", "3", "4", "5"})
    void readsWhatPythonsPickleWrites(String protocol) throws Exception {
        List<Path> files = images();
        Path bin = dir.resolve("lfw_" + protocol + ".bin");
        List<String> args = new ArrayList<>(List.of("write", bin.toString(), protocol, "101"));
        files.forEach(f -> args.add(f.toString()));
        Python.run(dir, "insightface_bin.py", args.toArray(String[]::new));

        Benchmark b = InsightfaceBin.read(bin);
        assertEquals("lfw_" + protocol, b.name());
        assertTrue(b.aligned());
        assertEquals(3, b.pairs());
        assertArrayEquals(new boolean[] {true, false, true}, b.same());
        assertArrayEquals(new int[] {0, 2, 4}, b.first());
        assertArrayEquals(new int[] {1, 3, 5}, b.second());
        for (int i = 0; i < files.size(); i++) {
            Benchmark.Encoded e = (Benchmark.Encoded) b.images().get(i);
            assertArrayEquals(Files.readAllBytes(files.get(i)), e.bytes(), "image " + i);
            ImageBatch decoded = e.read();
            BufferedImage ref = ImageIO.read(files.get(i).toFile());
            assertEquals(ref.getWidth(), decoded.width());
            assertEquals(ref.getRGB(3, 5) & 0xffffff, decoded.get(0, 5, 3, 0) << 16 | decoded.get(0, 5, 3, 1) << 8
                    | decoded.get(0, 5, 3, 2));
        }
    }

    /** 600 images: memo indices beyond 255 (LONG_BINPUT), several APPENDS batches, a BINBYTES length over 255. */
    @ParameterizedTest
    @ValueSource(strings = {"py2", "2", "highest"})
    void readsLargerPicklesWithLongMemoIndices(String protocol) throws Exception {
        List<Path> files = images();
        Path bin = dir.resolve("big_" + protocol + ".bin");
        StringBuilder labels = new StringBuilder();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            paths.add(files.get(i % files.size()).toString()); // Python reads each into its own bytes object
            if (i % 2 == 0) {
                labels.append(i % 6 == 0 ? '1' : '0');
            }
        }
        List<String> args = new ArrayList<>(List.of("write", bin.toString(), protocol, labels.toString()));
        args.addAll(paths);
        Python.run(dir, "insightface_bin.py", args.toArray(String[]::new));
        Benchmark b = InsightfaceBin.read(bin);
        assertEquals(600, b.pairs());
        for (int k = 0; k < 600; k++) {
            assertEquals(labels.charAt(k) == '1', b.same()[k], "pair " + k);
        }
        for (int i = 0; i < 1200; i += 97) {
            assertArrayEquals(Files.readAllBytes(files.get(i % files.size())), ((Benchmark.Encoded) b.images().get(i)).bytes());
        }
    }

    /** Our writer's files load in Python as insightface loads them: a list of bytes and a list of bools. */
    @Test
    void writesWhatPythonReadsAsInsightfaceDoes() throws Exception {
        List<byte[]> bins = new ArrayList<>();
        for (Path p : images()) {
            bins.add(Files.readAllBytes(p));
        }
        // 2,400 more tiny items: several APPENDS batches of 1,000
        for (int i = 0; i < 2400; i++) {
            bins.add(("item " + i).getBytes(StandardCharsets.US_ASCII));
        }
        boolean[] same = new boolean[bins.size() / 2];
        for (int k = 0; k < same.length; k++) {
            same[k] = k % 3 != 1;
        }
        Path bin = dir.resolve("ours.bin");
        InsightfaceBin.write(bin, bins, same);
        JsonNode py = ConfigLoader.MAPPER.readTree(Python.run(dir, "insightface_bin.py", "check", bin.toString()));
        assertEquals("list", py.get("bins_type").asText());
        assertEquals("[\"bytes\"]", py.get("item_types").toString());
        assertEquals("[\"bool\"]", py.get("label_types").toString());
        for (int i = 0; i < bins.size(); i++) {
            assertEquals(Sha256.of(bins.get(i)), py.get("sha256").get(i).asText(), "image " + i);
        }
        for (int k = 0; k < same.length; k++) {
            assertEquals(same[k], py.get("issame").get(k).asBoolean());
        }
        Benchmark back = InsightfaceBin.read(bin);
        assertArrayEquals(same, back.same());
        assertArrayEquals(bins.get(2401), ((Benchmark.Encoded) back.images().get(2401)).bytes());
        assertEquals(List.of("ours.bin"), Arrays.stream(dir.toFile().list()).filter(n -> n.startsWith("ours")).toList(),
                "no temporary file left");
    }

    // ------------------------------------------------------------ hostile files

    private static final byte[] PROTO4 = {(byte) 0x80, 4};

    private String refused(byte[] content) throws IOException {
        Path bin = Files.write(dir.resolve("hostile.bin"), content);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> InsightfaceBin.read(bin));
        assertTrue(e.getMessage().startsWith("benchmark " + bin + " is not an insightface .bin"), e.getMessage());
        return e.getMessage();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void refusesLengthsTheFileCannotBack() throws IOException {
        // BINBYTES declaring 2 GB with 3 bytes behind it: refused before anything is allocated
        assertTrue(refused(concat(PROTO4, new byte[] {'B', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3}))
                .contains("declares 2147483647 bytes but only 3 are left"));
        // a negative 32-bit length
        assertTrue(refused(concat(PROTO4, new byte[] {'X', 0, 0, 0, (byte) 0x80, 1})).contains("declares -2147483648 bytes"));
        // BINBYTES8 declaring 2^62
        assertTrue(refused(concat(PROTO4, new byte[] {(byte) 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40})).contains("declares"));
        // a truncated file: the length prefix itself is cut
        assertTrue(refused(concat(PROTO4, new byte[] {'B', 5, 0})).contains("file ends"));
    }

    @Test
    void refusesPythonObjectsOtherThanBytesAndBools() throws IOException {
        assertTrue(refused(concat(PROTO4, ascii("cos\nsystem\n(S'echo hi'\ntR."))).contains("Python object os.system"));
        // protocol 4's STACK_GLOBAL: module and name as strings on the stack
        assertTrue(refused(concat(PROTO4, new byte[] {(byte) 0x8c, 8}, ascii("builtins"), new byte[] {(byte) 0x8c, 4},
                ascii("eval"), new byte[] {(byte) 0x93})).contains("Python object builtins.eval"));
        // numpy bools (what a .bin made from numpy arrays would hold) are named, not mis-read
        assertTrue(refused(concat(new byte[] {(byte) 0x80, 2}, ascii("cnumpy.core.multiarray\nscalar\n")))
                .contains("numpy.core.multiarray.scalar"));
        // dicts, sets, floats, objects: opcodes a .bin never needs
        assertTrue(refused(concat(PROTO4, new byte[] {'}', '.'})).contains("opcode 0x7d"));
        assertTrue(refused(concat(PROTO4, new byte[] {'G', 0, 0, 0, 0, 0, 0, 0, 0, '.'})).contains("opcode 0x47"));
        // a GLOBAL whose names never end: bounded, not read to the end of the file
        byte[] longName = new byte[1 << 20];
        Arrays.fill(longName, (byte) 'a');
        assertTrue(refused(concat(PROTO4, new byte[] {'c'}, longName)).contains("no end of line within 256 bytes"));
    }

    @Test
    void refusesMemoryBombs() throws IOException {
        // 8 MB of MEMOIZE (1 byte each, a memo entry each): far more objects than 8 MB of data can hold
        byte[] memo = new byte[8 << 20];
        Arrays.fill(memo, (byte) 0x94);
        assertTrue(refused(concat(PROTO4, new byte[] {']'}, memo)).contains("builds more objects than a file of"));
        // 8 MB of EMPTY_LIST: millions of lists
        byte[] lists = new byte[8 << 20];
        Arrays.fill(lists, (byte) ']');
        assertTrue(refused(concat(PROTO4, lists)).contains("builds more objects"));
    }

    @Test
    void refusesWrongShapesWithWhatWasFound() throws IOException {
        // not a pickle at all: a PNG renamed .bin
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        // (its first byte, 0x89, happens to be NEWFALSE; "P", persistent ids, is refused)
        assertTrue(refused(png.toByteArray()).contains("opcode 0x50 ('P') at byte 1"));
        assertTrue(refused(new byte[0]).contains("malformed pickle"));
        // a list, not the tuple (images, issame)
        assertTrue(refused(concat(PROTO4, ascii("]."))).contains("holds a list of 0, not the tuple"));
        // issame holds ints
        assertTrue(refused(concat(PROTO4, ascii("](C\u0001aC\u0001be](K\u0001e\u0086."))).contains("issame[0] is a int, not a bool"));
        // 2 images for 2 pairs
        assertTrue(refused(concat(PROTO4, ascii("](C\u0001aC\u0001be](\u0088\u0089e\u0086."))).contains("2 images for 2 pairs"));
        // an image that is a list
        assertTrue(refused(concat(PROTO4, ascii("](]C\u0001be](\u0088e\u0086."))).contains("image 0 is a list of 0, not encoded image bytes"));
        // valid, then trailing garbage
        assertTrue(refused(concat(PROTO4, ascii("](C\u0001aC\u0001be](\u0088e\u0086.junk"))).contains("trailing data"));
        // an unknown pickle protocol
        assertTrue(refused(new byte[] {(byte) 0x80, 9, '.'}).contains("pickle protocol 9"));
        // STOP on an empty stack, APPENDS without a list: razorvine's errors, reported as ours
        assertTrue(refused(concat(PROTO4, ascii("."))).contains("malformed pickle at byte 2"));
        assertTrue(refused(concat(PROTO4, ascii("(C\u0001ae."))).contains("malformed pickle"));
    }

    /** A well-formed .bin whose image bytes are not an image: found when that image is decoded, named by index and file. */
    @Test
    void aCorruptImageIsNamedWhenDecoded() throws IOException {
        Path bin = dir.resolve("corrupt.bin");
        InsightfaceBin.write(bin, List.of(ascii("not an image"), ascii("nor this")), new boolean[] {true});
        Benchmark b = InsightfaceBin.read(bin);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> b.images().get(1).read());
        assertEquals("cannot read image 1 of " + bin + ": not a format javax.imageio knows (PNG, JPEG, BMP, GIF)", e.getMessage());
    }
}
