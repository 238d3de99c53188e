package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every written file's SHA-256 is recorded when its unit is published; a resume and
 * {@code exfacegan check} find files missing, cut short or changed, and write them again to the
 * very same bytes.
 */
class IntegrityTest {
    @TempDir
    Path dir;

    /** Deletes one image, truncates one, flips a bit in a reference crop and in a latents file. */
    private void damage(Path run) throws IOException {
        Files.delete(run.resolve("images/00001/0002.png"));
        byte[] png = Files.readAllBytes(run.resolve("images/00003/0000.png"));
        Files.write(run.resolve("images/00003/0000.png"), Arrays.copyOf(png, png.length / 2));
        flip(run.resolve("references/00004.png"));
        flip(run.resolve("meta/00005.npy"));
    }

    /** Flips one bit in the middle of a file. */
    static void flip(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 1;
        Files.write(file, b);
    }

    @Test
    void aResumeFindsMissingCutAndChangedFilesAndWritesThemAgain() throws IOException {
        Path cfg = TinyRuns.config(dir, "d", "", 16);
        TinyRuns.run(cfg);
        Map<String, String> whole = TinyRuns.digest(dir.resolve("d"));
        damage(dir.resolve("d"));

        List<String> notices = TinyRuns.runNoting(cfg, false);
        assertEquals(List.of(
                "repairing identity 00001: images/00001/0002.png is missing",
                "repairing identity 00003: images/00003/0000.png is damaged (its SHA-256 differs from the one recorded when it was written)",
                "repairing identity 00004: references/00004.png is damaged (its SHA-256 differs from the one recorded when it was written)",
                "repairing identity 00005: meta/00005.npy is damaged (its SHA-256 differs from the one recorded when it was written)"),
                notices);
        assertEquals(whole, TinyRuns.digest(dir.resolve("d")), "repaired to the same bytes");
        assertTrue(Files.readString(dir.resolve("d/run.json")).contains("\"repaired_this_session\" : [ \"repairing identity 00001"));
    }

    @Test
    void damagedProbeAndBoundaryFilesAreComputedAgain() throws IOException {
        Path cfg = TinyRuns.config(dir, "p", "", 16);
        TinyRuns.run(cfg);
        Map<String, String> whole = TinyRuns.digest(dir.resolve("p"));
        flip(dir.resolve("p/probe/embeddings.npy"));
        flip(dir.resolve("p/boundaries.npy"));
        List<String> notices = TinyRuns.runNoting(cfg, false);
        assertEquals(2, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("repairing the probe set: probe/embeddings.npy is damaged"), notices.toString());
        assertTrue(notices.get(1).startsWith("repairing the boundaries: boundaries.npy is damaged"), notices.toString());
        assertEquals(whole, TinyRuns.digest(dir.resolve("p")));
    }

    @Test
    void checkCommandReportsDamageAndRepairsIt() throws IOException {
        Path cfg = TinyRuns.config(dir, "c", "", 16);
        TinyRuns.run(cfg);
        Path run = dir.resolve("c");
        Map<String, String> whole = TinyRuns.digest(run);

        String[] ok = cli(Cli.OK, "check", run.toString());
        assertTrue(ok[0].startsWith("run " + run + ": "), ok[0]);
        assertTrue(ok[0].contains("identities     6 of 6 intact") && ok[0].strip().endsWith("intact"), ok[0]);
        int files = Integer.parseInt(ok[0].replaceAll("(?s)^run [^:]*: (\\d+) files verified.*", "$1"));
        long data = whole.keySet().stream().filter(f -> !f.endsWith(".sha256") && !f.equals("probe/DONE") && !f.equals(".exfacegan-run"))
                .count();
        assertEquals(data, files, "every dataset file but the bookkeeping (marker, lock, run.json, the sums files)");

        damage(run);
        String[] bad = cli(Cli.RUN_FAILURE, "check", run.toString());
        assertTrue(bad[0].contains("identities     2 of 6 intact; identity 00001: images/00001/0002.png is missing; identity 00003: "
                + "images/00003/0000.png is damaged"), bad[0]);
        assertTrue(bad[0].contains("4 problem(s)") && bad[0].contains("repair it with: exfacegan check --repair " + run), bad[0]);

        String[] repaired = cli(Cli.OK, "check", "--repair", run.toString());
        assertTrue(repaired[1].contains("repairing identity 00004: references/00004.png is damaged"), repaired[1]);
        assertTrue(repaired[0].contains("after repair (4 part(s) written again):"), repaired[0]);
        assertEquals(whole, TinyRuns.digest(run));
    }

    @Test
    void theDatasetIndexFilesAndRecordIoAreCheckedToo() throws IOException {
        Path cfg = TinyRuns.config(dir, "rec", ", \"dataset\": {\"recordio\": true}", 16);
        TinyRuns.run(cfg);
        Path run = dir.resolve("rec");
        Map<String, String> whole = TinyRuns.digest(run);
        assertTrue(Files.readString(run.resolve("dataset.sha256")).contains("  train.rec\n"));
        flip(run.resolve("train.rec"));
        String[] bad = cli(Cli.RUN_FAILURE, "check", run.toString());
        assertTrue(bad[0].contains("dataset files  train.rec is damaged"), bad[0]);
        TinyRuns.run(cfg); // the finish stage rebuilds the index files on every run
        assertEquals(whole, TinyRuns.digest(run));
        cli(Cli.OK, "check", run.toString());
    }

    @Test
    void checkRefusesWhatIsNoRunAndCreatesNothing() throws IOException {
        Path missing = dir.resolve("nothing-here");
        String[] r = cli(Cli.RUN_FAILURE, "check", missing.toString());
        assertEquals("error: no run in " + missing + " (no .exfacegan-run marker there)", r[1].strip());
        assertFalse(Files.exists(missing));
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.writeString(theirs.resolve("a.txt"), "x");
        r = cli(Cli.BAD_INPUT, "check", theirs.toString());
        assertTrue(r[1].startsWith("error: output folder " + theirs + " is not empty and holds no exfacegan run"), r[1]);
    }

    private String[] cli(int expected, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "-q";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--plugins";
        all[args.length + 2] = dir.resolve("none").toString();
        assertEquals(expected, Cli.execute(new PrintWriter(out), new PrintWriter(err), all), out + "\n" + err);
        return new String[] {out.toString(), err.toString()};
    }
}
