package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script {@code ./exfacegan} hands EXFACEGAN_JAVA_OPTS (a bigger heap, as the out-of-memory message advises) to java. */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void launcherPassesExfaceganJavaOptsToTheJvm() throws Exception {
        Path script = Path.of("..", "exfacegan").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(script) && Files.isExecutable(Path.of("/bin/bash")), "no launcher or bash here");
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(script, checkout.resolve("exfacegan"));
        Files.createDirectories(checkout.resolve("runner/target"));
        Files.writeString(checkout.resolve("runner/target/exfacegan-runner.jar"), "stand-in");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fakeJava = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder pb = new ProcessBuilder("/bin/bash", checkout.resolve("exfacegan").toString(), "run", "c.json");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("EXFACEGAN_JAVA_OPTS", "-Xmx3g -XX:+UseSerialGC");
        Process p = pb.redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> args = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.exitValue(), args.toString());
        int main = args.indexOf("org.exfacegan.runner.Main");
        assertTrue(main > 0 && args.indexOf("-Xmx3g") >= 0 && args.indexOf("-Xmx3g") < main
                && args.indexOf("-XX:+UseSerialGC") < main, "JVM options before the main class: " + args);
        assertEquals(List.of("run", "c.json"), args.subList(main + 1, args.size()));
    }
}
