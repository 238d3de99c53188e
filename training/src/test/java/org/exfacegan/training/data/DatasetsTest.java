package org.exfacegan.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.dataset.RecordIoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training data readers on good and hostile input: every error names the file or record at fault. */
class DatasetsTest {
    @TempDir
    Path dir;

    static byte[] png(int side, long seed) throws IOException {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** identities x images PNG faces under root/<identity>/<n>.png; returns the encoded images in order. */
    static List<List<byte[]>> folders(Path root, int identities, int images) throws IOException {
        List<List<byte[]>> all = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            List<byte[]> one = new ArrayList<>();
            for (int k = 0; k < images; k++) {
                byte[] p = png(112, i * 100L + k);
                Files.createDirectories(root.resolve(String.format("id%02d", i)));
                Files.write(root.resolve(String.format("id%02d/%03d.png", i, k)), p);
                one.add(p);
            }
            all.add(one);
        }
        return all;
    }

    @Test
    void imageFoldersSkipEmptyIdentitiesHiddenEntriesAndOtherFiles() throws IOException {
        Path root = dir.resolve("faces");
        folders(root, 3, 2);
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("id00/notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".id09.tmp"));
        Files.write(root.resolve(".id09.tmp/000.png"), png(112, 1));
        Files.write(root.resolve("id01/.000.png.tmp"), png(112, 2));
        Files.writeString(root.resolve("README"), "a file at the top");
        FaceDataset d = Datasets.open(root);
        assertEquals("image folders", d.kind());
        assertEquals(List.of("id00", "id01", "id02"), d.identityNames());
        assertEquals(6, d.size());
        assertArrayEquals(new int[] {2, 3}, d.samplesOf(1));
        assertEquals(2, d.label(5));
        assertEquals(1, d.skipped().size());
        assertTrue(d.skipped().get(0).contains("empty"), d.skipped().toString());
        assertEquals(112, d.read(3).width());
    }

    @Test
    void missingDataUnfinishedRunsAndStrayFilesAreRefused() throws IOException {
        String m = assertThrows(ExfaceganException.class, () -> Datasets.open(dir.resolve("nope"))).getMessage();
        assertEquals("training data not found: " + dir.resolve("nope"), m);
        Path txt = Files.writeString(dir.resolve("faces.txt"), "x");
        assertTrue(assertThrows(ExfaceganException.class, () -> Datasets.open(txt)).getMessage().contains("not a RecordIO .rec file"));
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("run.json"), "{\"status\": \"running\"}");
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(run)).getMessage();
        assertTrue(m.contains("run folder " + run + " is not finished (run.json status \"running\")"), m);
        Files.writeString(run.resolve("run.json"), "{\"status\": ");
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(run)).getMessage();
        assertTrue(m.startsWith("run record " + run.resolve("run.json") + ": "), m);
    }

    @Test
    void aFinishedRunIsReadFromItsImagesFolder() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("run.json"), "{\"status\": \"complete\"}");
        folders(run.resolve("images"), 2, 3);
        FaceDataset d = Datasets.open(run);
        assertEquals("run folder", d.kind());
        assertEquals(run.resolve("images"), d.source());
        assertEquals(6, d.size());
    }

    @Test
    void badImagesAreNamedWhenRead() throws IOException {
        Path root = dir.resolve("faces");
        folders(root, 2, 1);
        Files.writeString(root.resolve("id00/001.png"), "not a png at all");
        Files.write(root.resolve("id01/001.png"), png(64, 3));
        FaceDataset d = Datasets.open(root);
        String m = assertThrows(ExfaceganException.class, () -> Batches.image(d, 1)).getMessage();
        assertTrue(m.contains(root.resolve("id00/001.png").toString()), m);
        m = assertThrows(ExfaceganException.class, () -> Batches.image(d, 3)).getMessage();
        assertEquals("training image " + root.resolve("id01/001.png") + " is 64x64; training needs aligned 112x112 faces "
                + "(as a run writes them)", m);
    }

    /** The runner's RecordIO writer and this reader agree: same identities, same images. */
    @Test
    void recordIoReadsWhatTheRunnerWrites() throws IOException {
        List<List<byte[]>> images = folders(dir.resolve("faces"), 3, 4);
        images.get(1).remove(3); // uneven identities
        Path rec = write(images);
        FaceDataset d = Datasets.open(rec);
        assertEquals("recordio", d.kind());
        assertEquals(List.of("0", "1", "2"), d.identityNames());
        assertEquals(11, d.size());
        int s = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(images.get(i).size(), d.samplesOf(i).length);
            for (byte[] png : images.get(i)) {
                assertEquals(i, d.label(s));
                assertArrayEquals(org.exfacegan.runner.dataset.ImageFiles.decode(png, "x").rgb(), d.read(s).rgb());
                s++;
            }
        }
    }

    private Path write(List<List<byte[]>> images) throws IOException {
        Path rec = dir.resolve("train.rec");
        try (RecordIoWriter w = new RecordIoWriter(rec, dir.resolve("train.idx"))) {
            for (int c = 0; c < images.size(); c++) {
                for (byte[] png : images.get(c)) {
                    w.add(c, png);
                }
            }
            w.finish(images.size(), 112);
        }
        return rec;
    }

    @Test
    void hostileRecordIoIsRefusedNamingTheRecord() throws IOException {
        List<List<byte[]>> images = folders(dir.resolve("faces"), 2, 2);
        Path rec = write(images);
        Path idx = dir.resolve("train.idx");
        String goodIdx = Files.readString(idx);
        byte[] goodRec = Files.readAllBytes(rec);

        Files.delete(idx);
        String m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertEquals("RecordIO index not found: " + idx + " (it belongs beside the .rec file)", m);

        Files.writeString(idx, goodIdx + "7\tseven\n");
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertTrue(m.contains("RecordIO index " + idx + ", line 8: \"7\tseven\""), m);

        Files.writeString(idx, goodIdx.replaceFirst("(?m)^2\t\\d+", "2\t99999999"));
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertTrue(m.contains("record 2 at byte 99999999: it ends past the end of the file"), m);

        Files.writeString(idx, goodIdx);
        byte[] bad = goodRec.clone();
        int at = offset(goodIdx, 3);
        bad[at] ^= 0x55; // magic of record 3
        Files.write(rec, bad);
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertTrue(m.contains("record 3 at byte " + at + ": no RecordIO magic number there"), m);

        bad = goodRec.clone();
        ByteBuffer.wrap(bad, offset(goodIdx, 2) + 12, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f); // label of record 2
        Files.write(rec, bad);
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertTrue(m.contains("record 2: label 0.5 is not an identity number"), m);

        Files.write(rec, java.util.Arrays.copyOf(goodRec, offset(goodIdx, 4) + 20)); // truncated inside record 4
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertTrue(m.contains("record 4 at byte " + offset(goodIdx, 4)), m);

        Files.write(rec, goodRec);
        Files.writeString(idx, goodIdx.replaceFirst("(?m)^3\t\\d+\n", ""));
        m = assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage();
        assertTrue(m.contains("record 0 says images are records 1..4, but " + idx + " has no record 3"), m);

        Files.writeString(idx, "");
        assertEquals("RecordIO index " + idx + " is empty", assertThrows(ExfaceganException.class, () -> Datasets.open(rec)).getMessage());

        Files.writeString(idx, goodIdx);
        bad = goodRec.clone();
        int payload = offset(goodIdx, 1) + 8 + 24;
        for (int i = payload; i < payload + 16; i++) {
            bad[i] = 0; // the PNG signature of record 1
        }
        Files.write(rec, bad);
        FaceDataset d = Datasets.open(rec);
        m = assertThrows(ExfaceganException.class, () -> d.read(0)).getMessage();
        assertTrue(m.contains(rec + " record 1"), m);
    }

    private static int offset(String idx, int key) {
        for (String line : idx.split("\n")) {
            String[] p = line.split("\t");
            if (Integer.parseInt(p[0]) == key) {
                return Integer.parseInt(p[1]);
            }
        }
        throw new IllegalArgumentException("no record " + key);
    }
}
