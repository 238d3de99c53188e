package org.exfacegan.spark.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every OutputStore promises, tried on java.nio and on Hadoop's local file systems (raw, checksummed, object-store mode). */
class OutputStoreContractTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private OutputStore store(StoreKind kind) {
        OutputStore s = kind.open(dir.resolve("out"));
        s.create();
        return s;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void writesReadsAndReplacesFilesInNestedFolders(StoreKind kind) throws Exception {
        OutputStore s = store(kind);
        s.write("a/b/c.bin", bytes("first"));
        assertArrayEquals(bytes("first"), s.read("a/b/c.bin"));
        assertArrayEquals(bytes("first"), Files.readAllBytes(dir.resolve("out/a/b/c.bin")));
        s.write("a/b/c.bin", bytes("second, longer"));
        assertArrayEquals(bytes("second, longer"), s.read("a/b/c.bin"));
        s.write("a/b/c.bin", new byte[0]);
        assertEquals(0, s.read("a/b/c.bin").length);
        assertTrue(s.exists("a/b/c.bin"));
        assertTrue(s.exists("a/b"));
        assertFalse(s.exists("a/x"));
        assertEquals(List.of(), Trees.hidden(dir.resolve("out")), "no temporaries left");
        if (!kind.writesChecksumFiles()) {
            assertEquals(List.of("a/b/c.bin"), new ArrayList<>(Trees.of(dir.resolve("out")).keySet()), "no side files");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void listsSortedNamesWithoutTemporariesAndNothingForAnAbsentFolder(StoreKind kind) throws Exception {
        OutputStore s = store(kind);
        for (String n : List.of("b.png", "a.png", "c/d.png")) {
            s.write("f/" + n, bytes(n));
        }
        Files.writeString(dir.resolve("out/f/.a.png.1234abcd.tmp"), "a killed writer's temporary");
        assertEquals(List.of("a.png", "b.png", "c"), s.list("f"));
        assertEquals(List.of(), s.list("nothing/here"));
        // "" is the root: what the store holds at the top, its temporaries folder hidden
        s.write("top.json", bytes("{}"));
        Files.createDirectories(dir.resolve("out/.exfacegan-tmp"));
        assertEquals(List.of("f", "top.json"), s.list(""));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void readingAnAbsentFileNamesIt(StoreKind kind) {
        OutputStore s = store(kind);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> s.read("meta/00007.npy"));
        assertTrue(e.getMessage().contains("meta/00007.npy"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deletesFilesAndWholeFoldersAndIgnoresAbsentOnes(StoreKind kind) {
        OutputStore s = store(kind);
        s.write("images/00001/0000.png", bytes("x"));
        s.write("images/00001/0001.png", bytes("y"));
        s.write("images/00002/0000.png", bytes("z"));
        s.delete("images/00001");
        s.delete("images/00009");
        s.delete("images/00002/0000.png");
        assertEquals(List.of("00002"), s.list("images"));
        assertEquals(List.of(), s.list("images/00002"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void pathsThatCouldLeaveTheRootOrHitATemporaryAreRefusedNamingThem(StoreKind kind) throws Exception {
        OutputStore s = store(kind);
        for (String bad : new String[] {"", "../escape", "a/../../escape", "/etc/passwd", "a//b", "a/", "./a", ".hidden",
                "a/.x.tmp", "a\\b", "c:evil", "nul\u0000byte", "x".repeat(2000)}) {
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> s.write(bad, bytes("no")), bad);
            assertTrue(e.getMessage().startsWith("refusing store path"), e.getMessage());
            assertThrows(ExfaceganException.class, () -> s.delete(bad), bad);
        }
        assertThrows(ExfaceganException.class, () -> s.read(null));
        assertEquals(List.of("out"), List.of(dir.toFile().list()), "nothing written beside the root");
        assertEquals(0, Trees.of(dir.resolve("out")).size());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFailedWriteNamesTheFileAndLeavesNoTemporary(StoreKind kind) {
        OutputStore s = store(kind);
        s.write("taken", bytes("a file where a folder is wanted"));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> s.write("taken/child.png", bytes("x")));
        assertTrue(e.getMessage().contains("taken/child.png"), e.getMessage());
        assertEquals(List.of(), Trees.hidden(dir.resolve("out")));
        assertArrayEquals(bytes("a file where a folder is wanted"), s.read("taken"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void concurrentWritersOfTheSameFileNeverMixTheirBytes(StoreKind kind) throws Exception {
        OutputStore s = store(kind);
        byte[] content = new byte[1 << 20];
        new java.util.Random(3).nextBytes(content);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                all.add(pool.submit(() -> s.write("shared/file.bin", content)));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(content, s.read("shared/file.bin"));
        assertEquals(List.of(), Trees.hidden(dir.resolve("out")));
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "HADOOP_OBJECT_STORE_MODE", mode = EnumSource.Mode.EXCLUDE)
    void aFolderAppearsWholeAndAnExistingOneIsKept(StoreKind kind) {
        OutputStore s = store(kind);
        assertTrue(s.atomicRename());
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("0000.png", bytes("a"));
        files.put("0001.png", bytes("b"));
        assertTrue(s.writeFolder("images/00003", files));
        assertEquals(List.of("0000.png", "0001.png"), s.list("images/00003"));
        TreeMap<String, byte[]> other = new TreeMap<>();
        other.put("0000.png", bytes("other"));
        assertFalse(s.writeFolder("images/00003", other), "the folder already there is kept");
        assertArrayEquals(bytes("a"), s.read("images/00003/0000.png"));
        assertEquals(List.of("0000.png", "0001.png"), s.list("images/00003"));
        assertEquals(List.of(), Trees.hidden(dir.resolve("out")), "the discarded staging folder is gone");
    }

    @ParameterizedTest
    @EnumSource(value = StoreKind.class, names = "HADOOP_OBJECT_STORE_MODE", mode = EnumSource.Mode.EXCLUDE)
    void temporariesAKilledWriterLeftAreRemovedAndNothingElse(StoreKind kind) throws Exception {
        OutputStore s = store(kind);
        s.write("images/00001/0000.png", bytes("kept"));
        Path out = dir.resolve("out");
        Path tmp = out.resolve(RunLayout.TEMPORARIES);
        Files.createDirectories(tmp);
        Files.writeString(tmp.resolve("0badf00d-images_00001_0001.png"), "half");
        Files.createDirectories(tmp.resolve("deadbeef-images_00002"));
        Files.writeString(tmp.resolve("deadbeef-images_00002/0000.png"), "staged");
        Files.writeString(tmp.resolve("12345678-run.json"), "half");
        // files of the user's that merely look like temporaries are not ours to delete
        Files.writeString(out.resolve("images/00001/.0001.png.0badf00d.tmp"), "the user's");
        Files.writeString(out.resolve(".notes.tmp"), "the user's");
        assertEquals(3, s.removeTemporaries());
        assertEquals(List.of(".notes.tmp", "images/00001/.0001.png.0badf00d.tmp"), Trees.hidden(out));
        assertArrayEquals(bytes("kept"), s.read("images/00001/0000.png"));
        assertEquals(0, s.removeTemporaries());
    }

    @Test
    void objectStoreModeWritesInPlaceAndHasNoFolderRename() {
        OutputStore s = store(StoreKind.HADOOP_OBJECT_STORE_MODE);
        assertFalse(s.atomicRename());
        assertThrows(IllegalStateException.class, () -> s.writeFolder("images/00001", new TreeMap<>()));
        assertEquals(0, s.removeTemporaries());
    }

    @Test
    void hadoopSchemesDecideWhetherFoldersAreRenamed() {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        assertTrue(HadoopStore.open(dir.toUri(), conf).atomicRename());
        ExfaceganException noScheme = assertThrows(ExfaceganException.class,
                () -> HadoopStore.open(java.net.URI.create("relative/path"), conf));
        assertTrue(noScheme.getMessage().contains("needs a scheme"), noScheme.getMessage());
        ExfaceganException unknown = assertThrows(ExfaceganException.class,
                () -> HadoopStore.open(java.net.URI.create("s3a://bucket/run"), conf));
        assertTrue(unknown.getMessage().contains("s3a://bucket/run") && unknown.getMessage().contains("hadoop-aws"), unknown.getMessage());
    }

    @Test
    void theLocalStoreNeverFollowsALinkInsideItsRoot() throws Exception {
        OutputStore s = store(StoreKind.LOCAL);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("out/images"), outside);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> s.write("images/00001/0000.png", bytes("x")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals(0, outside.toFile().list().length);
    }
}
