package org.exfacegan.spark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.SparkMain;
import org.exfacegan.spark.testing.KilledDriver;
import org.exfacegan.spark.testing.SparkTestConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline submitted through {@link SparkMain} (a driver JVM on local[2]), killed with
 * SIGKILL while identities are written, and submitted again on the same output: the identities
 * published before the kill are kept as they are (not written again), the run ends with the plain
 * runner's files, and a resubmission of another config on that output is refused.
 */
class SparkDriverKillTest {
    private static final int IDENTITIES = 24;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aKilledDriverResubmittedResumesFromWhatWasPublished() throws Exception {
        Path config = DemoRun.config(dir.resolve("spark"), IDENTITIES, 6);
        Path out = config.getParent().resolve("run");
        KilledDriver.runUntil(dir, config, List.of(), () -> published(out).size(), 3);
        Map<String, Object> before = published(out);
        assertTrue(before.size() < IDENTITIES, "killed while identities were written: " + before.keySet());

        Path plain = DemoRun.run(DemoRun.config(dir.resolve("plain"), IDENTITIES, 6), UnitRunner.IN_PROCESS);
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestConf.of("local[2]", "resubmitted"));
             SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false)) {
            DemoRun.run(config, units);
            assertEquals(DemoRun.files(plain), DemoRun.files(out), "the files of an uninterrupted run");
            Map<String, Object> after = published(out);
            before.forEach((id, file) -> assertEquals(file, after.get(id), "identity " + id + " was published before the kill "
                    + "and is kept, not written again"));

            // another experiment on the same output is refused across submissions as on one machine
            ObjectNode other = (ObjectNode) Json.MAPPER.readTree(config.toFile());
            other.put("seed", 43);
            Files.writeString(config, Json.pretty(other));
            ConfigException refused = assertThrows(ConfigException.class, () -> DemoRun.run(config, units));
            assertTrue(refused.getMessage().contains("different config"), refused.getMessage());
        }
    }

    /** The identities whose image folder is in place, each with the file key (inode) of its first image. */
    private static Map<String, Object> published(Path run) {
        Map<String, Object> out = new TreeMap<>();
        Path images = run.resolve(RunLayout.IMAGES);
        if (!Files.isDirectory(images)) {
            return out;
        }
        try (Stream<Path> s = Files.list(images)) {
            for (Path id : s.toList()) {
                Path first = id.resolve(RunLayout.imageName(0));
                if (Files.exists(first)) {
                    out.put(id.getFileName().toString(), Files.readAttributes(first,
                            java.nio.file.attribute.BasicFileAttributes.class).fileKey());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
