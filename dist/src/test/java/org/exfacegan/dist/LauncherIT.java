package org.exfacegan.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./exfacegan launcher script on the packaged application: the Vector API is loaded for the
 * commands that fit boundaries without the JVM's incubator warning reaching the user, stderr and
 * exit codes pass through, and the JVM is told whether stderr is a terminal.
 */
class LauncherIT {
    @TempDir
    Path dir;

    private Launch.Result launch(String javaOpts, String... args) throws IOException, InterruptedException {
        return Launch.run(dir, javaOpts == null ? Map.of() : Map.of("EXFACEGAN_JAVA_OPTS", javaOpts), args);
    }

    @Test
    void runLoadsTheVectorApiWithoutTheIncubatorWarningAndKeepsStderrAndExitCode() throws Exception {
        Launch.Result r = launch("-Xlog:module+load", "run", "missing.json");
        assertTrue(r.out().contains("jdk.incubator.vector location"), "the JVM resolved the Vector API module:\n" + r.out());
        assertEquals("error: config missing.json: file not found\n", r.err());
        assertEquals(2, r.code());
    }

    @Test
    void otherCommandsDoNotLoadIt() throws Exception {
        Launch.Result r = launch("-Xlog:module+load", "validate", "missing.json");
        assertFalse(r.out().contains("jdk.incubator.vector"), r.out());
        assertEquals("error: config missing.json: file not found\n", r.err());
        assertEquals(2, r.code());
    }

    @Test
    void stderrLinesBeforeTheWarningPassAndTheJvmHearsStderrIsNoTerminal() throws Exception {
        Launch.Result r = launch("-XshowSettings:properties", "compare", "missing.json");
        assertTrue(r.err().contains("exfacegan.stderr.terminal = false"), r.err()); // printed by the JVM before the warning
        assertFalse(r.err().contains("incubator"), r.err());
        assertTrue(r.err().lines().reduce((a, b) -> b).orElse("").startsWith("error: compare config missing.json"), r.err());
        assertEquals(2, r.code());
    }
}
