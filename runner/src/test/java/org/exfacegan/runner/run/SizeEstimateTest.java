package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes a machine cannot hold are refused before anything runs, with the estimate: arrays past the
 * JVM's limit always, more heap than the JVM may use or more disk than is free unless overridden.
 */
class SizeEstimateTest {
    @TempDir
    Path dir;

    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Path config(String output, String replace, String with) throws IOException {
        Path cfg = TinyRuns.config(dir, output, "", 16);
        return Files.writeString(cfg, Files.readString(cfg).replace(replace, with));
    }

    private String[] cli(int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = java.util.stream.Stream.concat(Stream.of(args), Stream.of("--plugins", dir.resolve("none").toString()))
                .toArray(String[]::new);
        assertEquals(expected, Cli.execute(new PrintWriter(out), new PrintWriter(err), all), out + "\n" + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void arraysPastTheJvmLimitAreRefusedWhateverTheOverride() throws IOException {
        Path probes = config("p", "\"probes\": 300", "\"probes\": 200000000");
        String[] r = cli(Cli.BAD_INPUT, "validate", "--no-size-check", probes.toString());
        assertEquals("error: config " + probes + ": /probes: the probe latents would need one array of 2,400,000,000 elements, "
                + "and a Java array holds at most 2,147,483,639; lower it (this is a limit of the JVM, not of the machine)",
                r[1].strip());
        Path samples = config("s", "\"samples_per_identity\": 5", "\"samples_per_identity\": 2147483647");
        r = cli(Cli.BAD_INPUT, "validate", samples.toString());
        assertTrue(r[1].startsWith("error: config " + samples + ": /samples_per_identity: the rendered images of one identity's "
                + "block (float RGB) would need one array of "), r[1]);
        Path square = config("q", "\"probes\": 300, \"identities\": 6,", "\"probes\": 50000,");
        r = cli(Cli.BAD_INPUT, "validate", square.toString());
        assertTrue(r[1].startsWith("error: config " + square + ": /probes: the cosines of every reference to every probe "
                + "(identities unset: every accepted probe is a reference) would need one array of 2,500,000,000 elements"), r[1]);

        // run refuses as quickly, leaving nothing that blocks a corrected config
        assertThrows(ConfigException.class, () -> TinyRuns.run(probes));
        try (Stream<Path> s = Files.walk(dir.resolve("p"))) {
            assertEquals(List.of(".exfacegan-run", "run.lock"), s.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void validatePrintsTheEstimate() throws IOException {
        Path cfg = config("ok", "", "");
        String[] r = cli(Cli.OK, "validate", cfg.toString());
        String size = "[0-9.]+ (B|KiB|MiB|GiB)";
        assertTrue(r[0].matches("(?s).*\n  needs:      disk about SIZE \\(probe set SIZE, boundaries SIZE, identities SIZE, "
                .replace("SIZE", size) + "dataset index SIZE\\), heap about SIZE \\(probe set SIZE, peak stage SIZE\\); this JVM "
                .replace("SIZE", size) + "may use SIZE of heap\n.*".replace("SIZE", size)), r[0]);
        // the disk figure bounds what the run writes
        TinyRuns.run(cfg);
        long written;
        try (Stream<Path> s = Files.walk(dir.resolve("ok"))) {
            written = s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        String kib = r[0].replaceAll("(?s).*disk about ([0-9.]+) KiB.*", "$1");
        double estimated = Double.parseDouble(kib) * 1024;
        System.out.printf("size estimate of the tiny run: disk %.0f bytes estimated, %d written%n", estimated, written);
        assertTrue(estimated >= written && estimated < 4 * written, estimated + " vs " + written);
    }

    @Test
    void heapBeyondWhatTheJvmMayUseIsRefusedUnlessOverridden() throws Exception {
        Path cfg = config("h", "\"probes\": 300", "\"probes\": 3000000");
        String[] refused = child(cfg, "validate");
        assertEquals("2", refused[0], refused[1]);
        assertTrue(refused[1].startsWith("error: config " + cfg + ": this run needs disk about ")
                && refused[1].contains("but this JVM may use 64.0 MiB of heap: give it more (EXFACEGAN_JAVA_OPTS=-Xmx"), refused[1]);
        String[] forced = child(cfg, "validate", "--no-size-check");
        assertEquals("0", forced[0], forced[1]);
    }

    @Test
    void diskBeyondTheFreeSpaceIsRefusedUnlessOverridden() throws Exception {
        Path at = Files.createDirectories(dir.resolve("small"));
        boolean linux = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", at.toString()).start();
        Assumptions.assumeTrue(linux && m.waitFor(20, TimeUnit.SECONDS) && m.exitValue() == 0,
                "cannot mount a tmpfs here (needs root on Linux)");
        mount = at;
        Path cfg = config("d", "\"output\": \"d\"", "\"output\": \"small/run\"");
        Files.writeString(cfg, Files.readString(cfg).replace("\"probes\": 300, \"identities\": 6, \"samples_per_identity\": 5",
                "\"probes\": 20000, \"identities\": 2000, \"samples_per_identity\": 50"));
        String[] r = cli(Cli.BAD_INPUT, "validate", cfg.toString());
        assertTrue(r[1].contains("of disk is free at " + at.resolve("run")), r[1]);
        cli(Cli.OK, "validate", "--no-size-check", cfg.toString());
    }

    /** Runs the CLI in a JVM with a 64 MiB heap; returns the exit code and stderr. */
    private String[] child(Path cfg, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "org.exfacegan.runner.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of(cfg.toString(), "--plugins", dir.resolve("none").toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("child-err.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), Files.readString(dir.resolve("child-err.txt"))};
    }
}
