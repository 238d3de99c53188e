package org.exfacegan.spark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.SparkMain;
import org.exfacegan.spark.testing.KilledDriver;
import org.exfacegan.spark.testing.SparkTestConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkMain} (a driver JVM on local[2]) with its output in a store ({@code spark.exfacegan.output},
 * a {@code file://} URI in object-store mode: no rename, files written in place, the s3a path), killed
 * with SIGKILL while identities are published, and submitted again: the identities marked before the
 * kill are kept as they are, and the store ends with the plain run's files.
 */
class SparkStoreDriverKillTest {
    private static final int IDENTITIES = 24;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aKilledDriverResubmittedResumesFromTheStoresMarkers() throws Exception {
        Path config = DemoRun.config(dir.resolve("spark"), IDENTITIES, 6);
        Path storeDir = dir.resolve("store");
        KilledDriver.runUntil(dir, config, List.of("-D" + SparkUnits.OUTPUT + "=" + storeDir.toUri(),
                "-Dspark.hadoop." + HadoopStore.ATOMIC_RENAME_KEY + "=false"), () -> marked(storeDir).size(), 3);
        Map<String, Object> before = marked(storeDir);
        assertTrue(before.size() < IDENTITIES, "killed while identities were written: " + before.keySet());
        // a marker the kill cut short (written in place: no rename here) vouches for nothing: its identity is written again
        try (HadoopStore store = HadoopStore.open(storeDir.toUri(), new org.apache.hadoop.conf.Configuration())) {
            Publisher publisher = new Publisher(store);
            before.keySet().removeIf(id -> publisher.readBack(UnitFiles.IDENTITIES + "/" + id) == null);
        }
        assertTrue(!before.isEmpty(), "identities published whole before the kill");
        assertTrue(!Files.exists(config.getParent().resolve("run")), "the config's output folder is not used");

        Path plain = DemoRun.run(DemoRun.config(dir.resolve("plain"), IDENTITIES, 6), UnitRunner.IN_PROCESS);
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestConf.of("local[2]", "resubmitted"));
             SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false,
                     new StoreLocation(storeDir.toUri().toString(), Map.of(HadoopStore.ATOMIC_RENAME_KEY, "false")))) {
            DemoRun.runThrough(config, units, false);
        }
        assertEquals(DemoRun.filesAsStored(plain), DemoRun.storeFiles(storeDir), "the files of an uninterrupted plain run");
        Map<String, Object> after = marked(storeDir);
        assertEquals(IDENTITIES, after.size());
        before.forEach((id, file) -> assertEquals(file, after.get(id), "identity " + id + " was marked before the kill "
                + "and is kept, not written again"));
    }

    /** The identities with a marker, each with the file key and time of its first image. */
    private static Map<String, Object> marked(Path store) {
        Map<String, Object> out = new TreeMap<>();
        Path markers = store.resolve(Publisher.MARKERS).resolve(UnitFiles.IDENTITIES);
        if (!Files.isDirectory(markers)) {
            return out;
        }
        try (Stream<Path> s = Files.list(markers)) {
            for (Path m : s.toList()) {
                String id = m.getFileName().toString().replace(".json", "");
                Path first = store.resolve(RunLayout.image(RunLayout.IMAGES, id, 0));
                BasicFileAttributes a = Files.readAttributes(first, BasicFileAttributes.class);
                out.put(id, a.fileKey() + "@" + a.lastModifiedTime().toMillis());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
