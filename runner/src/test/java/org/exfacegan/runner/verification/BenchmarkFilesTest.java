package org.exfacegan.runner.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LFW-style pairs lists and finding benchmarks in files and folders, including the ways they go wrong. */
class BenchmarkFilesTest {
    @TempDir
    Path dir;

    /** person/person_000i.ext for each (person, i). */
    private Path people(Path root, String ext, Object... personAndNumbers) throws IOException {
        for (int k = 0; k < personAndNumbers.length; k += 2) {
            String person = (String) personAndNumbers[k];
            Path p = Files.createDirectories(root.resolve(person)).resolve(String.format("%s_%04d.%s", person,
                    (Integer) personAndNumbers[k + 1], ext));
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), ext.equals("jpg") ? "jpg" : "png", p.toFile());
        }
        return root;
    }

    @Test
    void readsLfwPairsWithItsHeaderAndSharesRepeatedImages() throws IOException {
        Path lfw = people(dir.resolve("lfw"), "jpg", "Ann_Lee", 1, "Ann_Lee", 2, "Bo", 1, "Cy_Dee", 3);
        people(lfw, "png", "Eve", 1);
        Path pairs = Files.writeString(lfw.resolve("pairs.txt"), """
                2\t1
                Ann_Lee\t1\t2
                Bo 1 Cy_Dee 3

                Ann_Lee\t2\tBo\t1
                Ann_Lee   1   Eve   1
                """);
        Benchmark b = LfwPairs.read(pairs, false);
        assertEquals("lfw", b.name());
        assertFalse(b.aligned());
        assertArrayEquals(new boolean[] {true, false, false, false}, b.same());
        assertEquals(5, b.images().size(), "Ann_Lee_0001 and _0002, Bo_0001 appear twice, embedded once");
        assertArrayEquals(new int[] {0, 2, 1, 0}, b.first());
        assertArrayEquals(new int[] {1, 3, 2, 4}, b.second());
        assertEquals(lfw.resolve("Eve").resolve("Eve_0001.png").toAbsolutePath(), ((Benchmark.File) b.images().get(4)).path());
        assertTrue(LfwPairs.read(pairs, true).aligned());
    }

    @Test
    void pairsErrorsNameTheFileAndLine() throws IOException {
        Path lfw = people(dir.resolve("lfw"), "jpg", "Ann", 1, "Ann", 2, "Bo", 1);
        assertEquals("benchmark " + lfw.resolve("pairs.txt") + ", line 2: image "
                + lfw.toAbsolutePath().resolve("Ann").resolve("Ann_0003.jpg") + " not found (nor .jpeg, .png)",
                pairsError(lfw, "1 1\nAnn 1 3\nAnn 1 Bo 1\n"));
        assertTrue(pairsError(lfw, "Ann 1\n").contains("line 1: has 2 fields"));
        assertTrue(pairsError(lfw, "Ann 1 x\n").contains("line 1: \"x\" is not an image number"));
        assertTrue(pairsError(lfw, "Ann 0 1\n").contains("\"0\" is not an image number"));
        assertTrue(pairsError(lfw, "Ann 99999999999999999999 1\n").contains("is not an image number"));
        assertTrue(pairsError(lfw, ".. 1 2\n").contains("\"..\" is not a person's folder name"));
        assertTrue(pairsError(lfw, "../lfw/Ann 1 2\n").contains("is not a person's folder name"));
        assertTrue(pairsError(lfw, "10 300\nAnn 1 2\n").contains("its header promises 6000 pairs but it lists 1"));
        assertTrue(pairsError(lfw, "\n\n").contains("lists no pairs"));
        Files.write(lfw.resolve("pairs.txt"), new byte[] {'A', 'n', 'n', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> LfwPairs.read(lfw.resolve("pairs.txt"), false));
        assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
    }

    private String pairsError(Path lfw, String text) throws IOException {
        Path pairs = Files.writeString(lfw.resolve("pairs.txt"), text);
        return assertThrows(ExfaceganException.class, () -> LfwPairs.read(pairs, false)).getMessage();
    }

    @Test
    void findsBenchmarksInFilesAndFoldersByName() throws IOException {
        Path root = Files.createDirectories(dir.resolve("benchmarks"));
        InsightfaceBin.write(root.resolve("lfw.bin"), List.of(new byte[] {1}, new byte[] {2}), new boolean[] {true});
        InsightfaceBin.write(root.resolve("AgeDB_30.BIN"), List.of(new byte[] {1}, new byte[] {2}), new boolean[] {true});
        Path mine = people(root.resolve("mine"), "png", "A", 1, "A", 2);
        Files.writeString(mine.resolve("pairs.txt"), "A 1 2\n");
        Files.createDirectories(root.resolve("empty-folder"));
        Files.writeString(root.resolve("notes.md"), "not a benchmark");

        List<BenchmarkSource> all = BenchmarkSource.find(root);
        assertEquals(List.of("AgeDB_30", "lfw", "mine"), all.stream().map(BenchmarkSource::name).toList());
        assertEquals(List.of(true, true, false), all.stream().map(BenchmarkSource::isBin).toList());
        // a .bin, a pairs.txt, or the folder of one pairs list: exactly that benchmark
        assertEquals("lfw", BenchmarkSource.find(root.resolve("lfw.bin")).get(0).name());
        assertEquals("mine", BenchmarkSource.find(mine.resolve("pairs.txt")).get(0).name());
        assertEquals(List.of(mine.resolve("pairs.txt")), BenchmarkSource.find(mine).stream().map(BenchmarkSource::file).toList());
        assertEquals(3, BenchmarkSource.find(List.of(root)).size());

        assertEquals("two benchmarks are named \"lfw\": " + root.resolve("lfw.bin") + " and " + root.resolve("lfw.bin"),
                assertThrows(ConfigException.class, () -> BenchmarkSource.find(List.of(root, root.resolve("lfw.bin"))))
                        .getMessage());
        assertEquals("benchmark " + dir.resolve("nope") + " not found",
                assertThrows(ConfigException.class, () -> BenchmarkSource.find(dir.resolve("nope"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> BenchmarkSource.find(root.resolve("empty-folder")))
                .getMessage().contains("holds no benchmark"));
        assertTrue(assertThrows(ConfigException.class, () -> BenchmarkSource.find(root.resolve("notes.md")))
                .getMessage().contains("is neither an insightface .bin nor a pairs list"));
    }
}
