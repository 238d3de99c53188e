package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose heap runs out (a child JVM with a small -Xmx and a model that fills it): one clear
 * message naming the stage and how to give the JVM more heap, exit code 1, no stack trace; the
 * same command then resumes to the files of an uninterrupted run.
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void outOfMemorySaysWhichStageAndHowToRaiseTheHeapThenResumes() throws Exception {
        TinyRuns.run(TinyRuns.config(dir, "reference", "", 16));
        Path cfg = TinyRuns.config(dir, "oom", "", 16);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:-HeapDumpOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "-Dtinygan.hogAfter=8", // render calls: 1-3 probe set, then 2 per identity: in the samples stage
                "org.exfacegan.runner.Main", "-q", "run", cfg.toString(), "--plugins", dir.resolve("none").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.startsWith("error: out of memory in the samples stage: this JVM may use at most "), err);
        assertTrue(err.contains("Give it more, e.g. EXFACEGAN_JAVA_OPTS=-Xmx2g ./exfacegan ..."), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception in thread") || err.contains("java.lang.OutOfMemoryError"),
                "no stack trace, no raw error: " + err);
        assertEquals(1, err.strip().lines().count(), err);

        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("reference")), TinyRuns.digest(dir.resolve("oom")));
    }
}
