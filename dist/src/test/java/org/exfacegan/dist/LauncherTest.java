package org.exfacegan.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code ./exfacegan} runs the packaged application (dist/target/exfacegan) and
 * hands EXFACEGAN_JAVA_OPTS (a bigger heap, as the out-of-memory message advises) to java.
 */
class LauncherTest {
    @TempDir
    Path dir;

    /** A checkout holding only a copy of this checkout's launcher script and {@code file} (a stand-in jar). */
    private Path checkoutWith(String name, String file) throws IOException {
        Path script = Path.of("..", "exfacegan").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(script) && Files.isExecutable(Path.of("/bin/bash")), "no launcher or bash here");
        Path checkout = Files.createDirectories(dir.resolve(name));
        Files.copy(script, checkout.resolve("exfacegan"));
        Files.createDirectories(checkout.resolve(file).getParent());
        Files.writeString(checkout.resolve(file), "stand-in");
        return checkout;
    }

    @Test
    void launcherPassesExfaceganJavaOptsToTheJvm() throws Exception {
        Path checkout = checkoutWith("checkout", "dist/target/exfacegan/exfacegan.jar");
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
        int jar = args.indexOf("-jar");
        assertTrue(jar > 0 && args.indexOf("-Xmx3g") >= 0 && args.indexOf("-Xmx3g") < jar
                && args.indexOf("-XX:+UseSerialGC") < jar, "JVM options before -jar: " + args);
        assertEquals(checkout.resolve("dist/target/exfacegan/exfacegan.jar").toString(), args.get(jar + 1), "the packaged application");
        assertEquals(List.of("run", "c.json"), args.subList(jar + 2, args.size()));
    }

    @Test
    void withoutThePackagedApplicationItSaysHowToBuildIt() throws Exception {
        // an earlier build's runner jar is not the application
        Path checkout = checkoutWith("old-checkout", "runner/target/exfacegan-runner.jar");
        Process p = new ProcessBuilder("/bin/bash", checkout.resolve("exfacegan").toString(), "plugins").redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.exitValue(), out);
        assertEquals("exfacegan: " + checkout.resolve("dist/target/exfacegan/exfacegan.jar")
                + " not found; build it first: mvn -q -DskipTests package\n", out);
    }
    /** With --spark the launcher puts the spark module after the application and adds Spark's JVM options; only then. */
    @Test
    void withSparkTheLauncherAddsTheSparkModuleAndItsJvmOptionsAndOnlyThen() throws Exception {
        Path checkout = checkoutWith("spark-checkout", "dist/target/exfacegan/exfacegan.jar");
        Path bin = fakeJava();

        List<String> without = launch(checkout, bin, "run", "c.json", "--spark", "local[2]");
        assertTrue(without.stream().noneMatch(a -> a.contains("spark/target") || a.startsWith("--add-opens")),
                "spark module not built: nothing added, the runner says what is missing: " + without);
        assertEquals(List.of("run", "c.json", "--spark", "local[2]"), without.subList(without.indexOf("-jar") + 2, without.size()));

        Files.createDirectories(checkout.resolve("spark/target/lib"));
        Files.writeString(checkout.resolve("spark/target/exfacegan-spark.jar"), "stand-in");
        Files.writeString(checkout.resolve("spark/target/jvm-options"), "--add-opens=java.base/java.lang=ALL-UNNAMED -Dx=1\n");
        List<String> with = launch(checkout, bin, "run", "c.json", "--spark", "local[2]");
        int main = with.indexOf("org.exfacegan.runner.Main");
        String cp = with.get(with.indexOf("-cp") + 1);
        assertTrue(cp.startsWith(checkout.resolve("dist/target/exfacegan/exfacegan.jar") + ":")
                && cp.contains("spark/target/exfacegan-spark.jar") && cp.endsWith("spark/target/lib/*"), cp);
        int opens = with.indexOf("--add-opens=java.base/java.lang=ALL-UNNAMED");
        assertTrue(opens > 0 && opens < main && with.indexOf("-Dx=1") < main
                && with.indexOf("-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider") < main, with.toString());
        assertEquals(List.of("run", "c.json", "--spark", "local[2]"), with.subList(main + 1, with.size()));

        List<String> plain = launch(checkout, bin, "run", "c.json");
        assertTrue(plain.stream().noneMatch(a -> a.contains("spark/target") || a.startsWith("--add-opens")), plain.toString());
    }

    /** {@code dir/bin/java}: prints its arguments, one a line. */
    private Path fakeJava() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fakeJava = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
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
