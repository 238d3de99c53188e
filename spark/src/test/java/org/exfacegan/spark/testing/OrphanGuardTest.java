package org.exfacegan.spark.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A guarded child JVM (the test cluster's master and workers) ends when the JVM that started it is killed. */
class OrphanGuardTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aGuardedChildEndsWhenItsParentIsKilled() throws Exception {
        Path log = dir.resolve("spawner.log");
        Process spawner = ChildJvm.start(Spawner.class.getName(), List.of("-Xmx64m"), List.of(dir.resolve("child.log").toString()),
                Map.of(), log);
        long[] child = new long[1];
        try {
            Waits.until("the spawner to start its child", Duration.ofSeconds(120), () -> {
                Optional<String> line = read(log).lines().filter(l -> l.startsWith("child ")).findFirst();
                line.ifPresent(l -> child[0] = Long.parseLong(l.substring("child ".length()).strip()));
                return line.isPresent();
            }, () -> "\n" + read(log));
            // past its guard's start-up check (a parent already gone ends it at once): running its main
            Waits.until("the child to run", Duration.ofSeconds(120), () -> read(dir.resolve("child.log")).contains("sleeping"),
                    () -> "\n" + read(dir.resolve("child.log")));
            ProcessHandle orphan = ProcessHandle.of(child[0]).orElseThrow();
            assertTrue(orphan.isAlive());
            spawner.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs in the parent
            orphan.onExit().get(60, TimeUnit.SECONDS); // throws TimeoutException if the child outlives its parent
        } finally {
            ChildJvm.killTree(spawner.toHandle());
            ProcessHandle.of(child[0]).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
