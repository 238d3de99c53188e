package org.exfacegan.spark.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.spark.JobFailure;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.testing.SparkTestConf;
import org.exfacegan.spark.testing.ToyJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins and models shipped to executors (an archive Spark unpacks, or a shared folder) and
 * checked there against the driver's SHA-256s; a file changed on one side fails the job clearly.
 */
class ProvenanceTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(SparkTestConf.of("local[2]", "provenance-test"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    /** A plugin jar and a model file, as the driver has them. */
    private Map<String, Path> driverFiles(Path root) throws Exception {
        Random r = new Random(1);
        byte[] jar = new byte[20_000];
        byte[] model = new byte[50_000];
        r.nextBytes(jar);
        r.nextBytes(model);
        Files.createDirectories(root.resolve("plugins"));
        Files.createDirectories(root.resolve("models/demo"));
        Files.write(root.resolve("plugins/backbone.jar"), jar);
        Files.write(root.resolve("models/demo/model.onnx"), model);
        Map<String, Path> files = new TreeMap<>();
        files.put("plugins/backbone.jar", root.resolve("plugins/backbone.jar"));
        files.put("models/demo/model.onnx", root.resolve("models/demo/model.onnx"));
        return files;
    }

    private ToyJob job(String name, Shipment shipment) {
        return new ToyJob(StoreLocation.of(dir.resolve(name).toUri().toString()), 4, 2, 1, 2, 0,
                dir.resolve(name + "-attempts").toString(), shipment, "cpu");
    }

    private static ExfaceganException failure(Runnable job) {
        Exception e = assertThrows(Exception.class, job::run);
        ExfaceganException user = JobFailure.userError(e);
        assertNotNull(user, "the job failed with something else: " + e);
        return user;
    }

    @Test
    void anArchiveShippedByTheDriverPassesTheCheckOnEveryExecutor() throws Exception {
        Map<String, Path> files = driverFiles(dir.resolve("driver"));
        Shipment shipment = Payload.ship(sc, "payload", files, dir.resolve("payload.zip"));
        job("out", shipment).run(sc);
        assertEquals(4, ToyJob.markedUnits(dir.resolve("out"), 4).size());
        // the archive's bytes depend only on the files (a re-packed payload is the same archive)
        Payload.writeArchive(files, dir.resolve("again.zip"));
        assertEquals(Sha256.of(dir.resolve("payload.zip")), Sha256.of(dir.resolve("again.zip")));
    }

    @Test
    void anArchivePackedBeforeTheDriversModelChangedFailsTheJobNamingTheFileAndBothHashes() throws Exception {
        Map<String, Path> files = driverFiles(dir.resolve("driver"));
        Path zip = dir.resolve("stale.zip");
        Payload.writeArchive(files, zip); // packed by hand for spark-submit --archives
        String shippedSha = Sha256.of(files.get("models/demo/model.onnx"));
        Files.write(files.get("models/demo/model.onnx"), new byte[] {1, 2, 3}); // re-exported on the driver since
        Manifest driver = Manifest.of(files);
        sc.sc().addArchive(zip.toUri() + "#stale");
        ExfaceganException e = failure(() -> job("stale", Shipment.archive("stale", driver)).run(sc));
        assertTrue(e.getMessage().startsWith("provenance check failed on executor driver"), e.getMessage());
        assertTrue(e.getMessage().contains("models/demo/model.onnx has SHA-256 " + shippedSha + " here, the driver's is "
                + driver.sha256().get("models/demo/model.onnx")), e.getMessage());
        assertTrue(e.getMessage().contains("archive 'stale'"), e.getMessage());
        assertEquals(List.of(), ToyJob.markedUnits(dir.resolve("stale"), 4), "nothing is published with unchecked models");
    }

    @Test
    void aSharedFolderChangedAfterTheDriverHashedItFailsTheJob() throws Exception {
        Path shared = dir.resolve("shared");
        Map<String, Path> files = driverFiles(shared);
        Manifest manifest = Manifest.of(files);
        Files.write(shared.resolve("plugins/backbone.jar"), new byte[] {0}); // another node's copy was swapped
        ExfaceganException e = failure(() -> job("shared", Shipment.sharedFolder(shared, manifest)).run(sc));
        assertTrue(e.getMessage().contains("plugins/backbone.jar has SHA-256 " + Sha256.of(new byte[] {0})), e.getMessage());
        assertTrue(e.getMessage().contains("shared folder " + shared), e.getMessage());
    }

    @Test
    void missingAndExtraFilesAreDifferencesToo() throws Exception {
        Path shared = dir.resolve("shared");
        Manifest manifest = Manifest.of(driverFiles(shared));
        assertEquals(List.of(), ProvenanceCheck.differences(shared, manifest));
        Files.write(shared.resolve("plugins/extra.jar"), new byte[] {7});
        Files.delete(shared.resolve("models/demo/model.onnx"));
        List<String> d = ProvenanceCheck.differences(shared, manifest);
        assertEquals(2, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("models/demo/model.onnx is missing here"), d.get(0));
        assertEquals("plugins/extra.jar is here but not on the driver", d.get(1));
        assertEquals(List.of("the folder " + dir.resolve("nowhere") + " does not exist"),
                ProvenanceCheck.differences(dir.resolve("nowhere"), manifest));
    }

    @Test
    void aManifestNeedsFilesWithSafeNames() {
        assertThrows(ExfaceganException.class, () -> new Manifest(new TreeMap<>()));
        assertThrows(ExfaceganException.class, () -> new Manifest(new TreeMap<>(Map.of("../escape.jar", "00"))));
        ExfaceganException unreadable = assertThrows(ExfaceganException.class,
                () -> Manifest.of(Map.of("plugins/x.jar", dir.resolve("absent.jar"))));
        assertTrue(unreadable.getMessage().contains("absent.jar") && unreadable.getMessage().contains("plugins/x.jar"),
                unreadable.getMessage());
    }
}
