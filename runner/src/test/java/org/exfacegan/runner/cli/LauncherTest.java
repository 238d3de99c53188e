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
        Path checkout = checkout();
        Path bin = dir.resolve("bin");

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

    @Test
    void withSparkTheLauncherAddsTheSparkModuleAndItsJvmOptionsAndOnlyThen() throws Exception {
        Path checkout = checkout();
        Path bin = dir.resolve("bin");

        List<String> without = launch(checkout, bin, "run", "c.json", "--spark", "local[2]");
        assertTrue(without.stream().noneMatch(a -> a.contains("spark/target") || a.startsWith("--add-opens")),
                "spark module not built: nothing added, the runner says what is missing: " + without);

        Files.createDirectories(checkout.resolve("spark/target/lib"));
        Files.writeString(checkout.resolve("spark/target/exfacegan-spark.jar"), "stand-in");
        Files.writeString(checkout.resolve("spark/target/jvm-options"), "--add-opens=java.base/java.lang=ALL-UNNAMED -Dx=1\n");
        List<String> with = launch(checkout, bin, "run", "c.json", "--spark", "local[2]");
        int main = with.indexOf("org.exfacegan.runner.Main");
        String cp = with.get(with.indexOf("-cp") + 1);
        assertTrue(cp.contains("spark/target/exfacegan-spark.jar") && cp.endsWith("spark/target/lib/*"), cp);
        int opens = with.indexOf("--add-opens=java.base/java.lang=ALL-UNNAMED");
        assertTrue(opens > 0 && opens < main && with.indexOf("-Dx=1") < main
                && with.indexOf("-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider") < main, with.toString());
        assertEquals(List.of("run", "c.json", "--spark", "local[2]"), with.subList(main + 1, with.size()));

        List<String> plain = launch(checkout, bin, "run", "c.json");
        assertTrue(plain.stream().noneMatch(a -> a.contains("spark/target") || a.startsWith("--add-opens")), plain.toString());
    }

    /** A checkout holding the launcher and a stand-in runner jar; {@code dir/bin/java} prints its arguments, one a line. */
    private Path checkout() throws Exception {
        Path script = Path.of("..", "exfacegan").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(script) && Files.isExecutable(Path.of("/bin/bash")), "no launcher or bash here");
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(script, checkout.resolve("exfacegan"));
        Files.createDirectories(checkout.resolve("runner/target"));
        Files.writeString(checkout.resolve("runner/target/exfacegan-runner.jar"), "stand-in");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fakeJava = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        return checkout;
    }

    private static List<String> launch(Path checkout, Path bin, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", checkout.resolve("exfacegan").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, p.exitValue(), out.toString());
        return out;
    }
}
