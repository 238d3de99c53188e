package org.exfacegan.spark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.SparkTestConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real pipeline on local[2] with its output in a store given by a {@code file://} URI (Hadoop's
 * raw local file system): renaming, and told it cannot rename (the object-store path, s3a). The
 * store ends with the plain run's files; a resubmission resumes from the markers alone.
 */
class SparkStoreRunTest {
    private static final int IDENTITIES = 10;
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(SparkTestConf.of("local[2]", "store-test").set(SparkUnits.IDENTITIES_PER_TASK, "3"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    /** The run of {@code config} with its output in {@code store}, as {@code run --spark} does it. */
    static void runInStore(Path config, StoreLocation store, boolean restart) {
        try (SparkUnits units = new SparkUnits(sc, DemoRun.registry(config.getParent()), false, store)) {
            DemoRun.runThrough(config, units, restart);
        }
    }

    private static StoreLocation store(Path dir, boolean atomicRename) {
        return new StoreLocation(dir.toUri().toString(), Map.of(HadoopStore.ATOMIC_RENAME_KEY, Boolean.toString(atomicRename)));
    }

    private static List<String> markers(Path store) {
        return Trees.of(store).keySet().stream().filter(p -> p.startsWith(Publisher.MARKERS + "/")).toList();
    }

    private static Object fileKey(Path f) throws IOException {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return a.fileKey() + "@" + a.lastModifiedTime().toMillis();
    }

    @ParameterizedTest(name = "atomic rename {0}")
    @ValueSource(booleans = {true, false})
    void aRunIntoAFileUriStoreHasThePlainRunsFilesAndResumesFromItsMarkers(boolean atomicRename) throws Exception {
        Path plain = DemoRun.run(DemoRun.config(dir.resolve("plain"), IDENTITIES, 6), UnitRunner.IN_PROCESS);
        Path storeDir = dir.resolve("store");
        Path config = DemoRun.config(dir.resolve("spark"), IDENTITIES, 6);
        TaskCounter tasks = new TaskCounter();
        sc.sc().addSparkListener(tasks);
        try {
            runInStore(config, store(storeDir, atomicRename), false);
        } finally {
            sc.sc().removeSparkListener(tasks);
        }
        assertEquals(List.of(3, 4), tasks.perJob(), "3 probe chunks, then 10 identities in tasks of 3");
        Map<String, String> expected = DemoRun.filesAsStored(plain);
        assertTrue(expected.keySet().containsAll(List.of(RunLayout.MANIFEST, RunLayout.LATENTS, RunLayout.TRAIN_REC,
                "images/00009/0005.png", RunLayout.SAMPLING_JSON, RunLayout.PROBE_DONE)), expected.keySet().toString());
        assertEquals(expected, DemoRun.storeFiles(storeDir), "the store holds the plain run's files");
        List<String> expectedMarkers = new ArrayList<>(List.of("_published/driver.json", "_published/exfacegan-run"));
        IntStream.range(0, IDENTITIES).forEach(i -> expectedMarkers.add(String.format("_published/identities/%05d.json", i)));
        assertEquals(expectedMarkers, markers(storeDir), "a marker per identity, the driver's files' and the claim; the "
                + "probe chunks' went with the chunks");
        assertEquals(List.of(), Trees.hidden(storeDir), "temporaries left in the store");
        assertFalse(Files.exists(config.getParent().resolve("run")), "nothing written into the config's output folder");
        RunRecord a = RunRecord.read(plain);
        RunRecord b = RunRecord.read(storeDir);
        assertEquals(a.configHash(), b.configHash());
        assertEquals(a.summary(), b.summary());

        // as a killed run leaves it: identities 5.. never marked (one with a half-written image folder),
        // and identity 2 marked but one of its images damaged since
        for (int i = 5; i < IDENTITIES; i++) {
            Files.delete(storeDir.resolve(String.format("_published/identities/%05d.json", i)));
        }
        Files.write(storeDir.resolve("images/00006/0001.png"), new byte[] {1, 2, 3});
        Files.delete(storeDir.resolve("images/00006/0002.png"));
        Path damaged = storeDir.resolve("images/00002/0003.png");
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 1;
        Files.write(damaged, bytes);
        Object kept = fileKey(storeDir.resolve("images/00001/0000.png"));
        Object keptMeta = fileKey(storeDir.resolve("meta/00004.jsonl"));

        tasks = new TaskCounter();
        sc.sc().addSparkListener(tasks);
        try {
            runInStore(config, store(storeDir, atomicRename), false);
        } finally {
            sc.sc().removeSparkListener(tasks);
        }
        assertEquals(List.of(2), tasks.perJob(), "only identities 2 and 5-9 written again (6 in tasks of 3), no probe chunk");
        assertEquals(expected, DemoRun.storeFiles(storeDir), "the resumed run ends with the plain run's files");
        assertEquals(expectedMarkers, markers(storeDir));
        assertEquals(kept, fileKey(storeDir.resolve("images/00001/0000.png")), "a marked identity is not written again");
        assertEquals(keptMeta, fileKey(storeDir.resolve("meta/00004.jsonl")), "a marked identity is not written again");
        assertEquals(List.of(), Trees.hidden(storeDir), "temporaries left in the store");
    }

    @Test
    void aStoreLocationHoldingOtherFilesIsRefusedAndLeftAsItIs() throws Exception {
        Path storeDir = dir.resolve("thesis");
        Files.createDirectories(storeDir);
        Files.writeString(storeDir.resolve("chapter1.tex"), "my work");
        Path config = DemoRun.config(dir.resolve("spark"), 2, 2);
        ConfigException e = assertThrows(ConfigException.class, () -> runInStore(config, store(storeDir, true), false));
        assertTrue(e.getMessage().contains("chapter1.tex") && e.getMessage().contains("no run of exfacegan"), e.getMessage());
        assertEquals(Map.of("chapter1.tex", Trees.of(storeDir).get("chapter1.tex")), Trees.of(storeDir), "nothing written there");
        e = assertThrows(ConfigException.class, () -> runInStore(config, store(storeDir, true), true));
        assertEquals(List.of("chapter1.tex"), List.copyOf(Trees.of(storeDir).keySet()), "--restart deletes no foreign files");

        e = assertThrows(ConfigException.class, () -> runInStore(config, StoreLocation.of("runs/relative"), false));
        assertTrue(e.getMessage().contains(SparkUnits.OUTPUT) && e.getMessage().contains("needs a scheme"), e.getMessage());
    }
}
