package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./exfacegan launcher script: the Vector API is loaded for the commands that fit boundaries
 * without the JVM's incubator warning reaching the user, stderr and exit codes pass through, and
 * the JVM is told whether stderr is a terminal. Needs runner/target/exfacegan-runner.jar, which the
 * reactor packages before this module's tests (mvn verify); skipped, saying so, when it is missing.
 */
class LauncherTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsThePackagedRunner() {
        assumeTrue(Files.isRegularFile(ROOT.resolve("runner/target/exfacegan-runner.jar")),
                "runner/target/exfacegan-runner.jar is not built (run mvn verify or package): launcher not tested");
    }

    record Result(int code, String out, String err) {}

    private Result launch(String javaOpts, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = ROOT.resolve("exfacegan").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Map<String, String> env = pb.environment();
        env.remove("EXFACEGAN_JAVA_OPTS");
        if (javaOpts != null) {
            env.put("EXFACEGAN_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new Result(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void runLoadsTheVectorApiWithoutTheIncubatorWarningAndKeepsStderrAndExitCode() throws Exception {
        Result r = launch("-Xlog:module+load", "run", "missing.json");
        assertTrue(r.out.contains("jdk.incubator.vector location"), "the JVM resolved the Vector API module:\n" + r.out);
        assertEquals("error: config missing.json: file not found\n", r.err);
        assertEquals(2, r.code);
    }

    @Test
    void otherCommandsDoNotLoadIt() throws Exception {
        Result r = launch("-Xlog:module+load", "validate", "missing.json");
        assertFalse(r.out.contains("jdk.incubator.vector"), r.out);
        assertEquals("error: config missing.json: file not found\n", r.err);
        assertEquals(2, r.code);
    }

    @Test
    void stderrLinesBeforeTheWarningPassAndTheJvmHearsStderrIsNoTerminal() throws Exception {
        Result r = launch("-XshowSettings:properties", "compare", "missing.json");
        assertTrue(r.err.contains("exfacegan.stderr.terminal = false"), r.err); // printed by the JVM before the warning
        assertFalse(r.err.contains("incubator"), r.err);
        assertTrue(r.err.lines().reduce((a, b) -> b).orElse("").startsWith("error: compare config missing.json"), r.err);
        assertEquals(2, r.code);
    }
}
