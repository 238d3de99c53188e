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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.layout.RunLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run writes only into a new or empty folder, or one holding a run of its own; it deletes only
 * what it created; a run that computed nothing blocks no later try; --restart says what it deletes.
 */
class OutputFolderTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearKnobs() {
        System.clearProperty("tinygan.failAfter");
    }

    /** Every file and link under {@code root} (links by their target), with its content hash; the lock's holder line aside. */
    private static Map<String, String> everything(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.equals(RunLayout.LOCK)) {
                    continue; // every try writes who holds the lock into it
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    out.put(rel, Sha256.of(p));
                } else {
                    out.put(rel + "/", "");
                }
            }
        }
        return out;
    }

    @Test
    void aFolderOfTheUsersIsRefusedAndLeftUntouched() throws IOException {
        Path cfg = TinyRuns.config(dir, "mine", "", 16);
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "my notes");
        Files.writeString(mine.resolve(".draft.tmp"), "a draft an editor keeps");
        Files.writeString(Files.createDirectories(mine.resolve("sub/.cache.tmp")).resolve("data"), "cached");
        Map<String, String> before = everything(mine);

        ConfigException e = assertThrows(ConfigException.class, () -> TinyRuns.run(cfg));
        assertEquals("output folder " + mine + " is not empty and holds no exfacegan run (it holds .draft.tmp, notes.txt, "
                + "sub/); exfacegan writes only into a new or empty folder, or one it made: choose another output folder",
                e.getMessage());
        assertEquals(before, everything(mine), "nothing written or deleted");

        // --restart never discards what is not a run
        assertThrows(ConfigException.class, () -> TinyRuns.runNoting(cfg, true));
        assertEquals(before, everything(mine));
    }

    @Test
    void anEmptyFolderIsTakenAndMarked() throws IOException {
        Path cfg = TinyRuns.config(dir, "empty", "", 16);
        Files.createDirectories(dir.resolve("empty"));
        TinyRuns.run(cfg);
        assertTrue(Files.isRegularFile(dir.resolve("empty/" + RunLayout.MARKER)));
        assertEquals("", listing(dir.resolve("empty/" + RunLayout.TEMPORARIES)), "no temporary left after a finished run");
    }

    @Test
    void userFilesInsideARunAreNeverDeletedAndARefusedConfigChangesNothing() throws IOException {
        Path cfg = TinyRuns.config(dir, "r", "", 16);
        TinyRuns.run(cfg);
        Path run = dir.resolve("r");
        Files.writeString(run.resolve(".notes.tmp"), "the user's, inside a run folder");
        Files.writeString(Files.createDirectories(run.resolve("images/.keep.tmp")).resolve("x"), "also the user's");
        Map<String, String> before = everything(run);

        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 11", "\"seed\": \"x\"")); // refused by validation
        assertThrows(ConfigException.class, () -> TinyRuns.run(cfg));
        assertEquals(before, everything(run));
        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": \"x\"", "\"seed\": 12")); // another experiment
        ConfigException other = assertThrows(ConfigException.class, () -> TinyRuns.run(cfg));
        assertTrue(other.getMessage().contains("holds a run of a different config"), other.getMessage());
        assertEquals(before, everything(run));

        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 12", "\"seed\": 11"));
        TinyRuns.run(cfg); // a resume: still nothing of the user's touched
        assertEquals("the user's, inside a run folder", Files.readString(run.resolve(".notes.tmp")));
        assertEquals("also the user's", Files.readString(run.resolve("images/.keep.tmp/x")));
    }

    @Test
    void aRunThatComputedNothingBlocksNoOtherConfig() throws IOException {
        Path cfg = TinyRuns.config(dir, "f", "", 16);
        System.setProperty("tinygan.failAfter", "1"); // the first render of the probe set fails
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().contains("injected model failure"), e.getMessage());
        System.clearProperty("tinygan.failAfter");
        try (Stream<Path> s = Files.walk(dir.resolve("f"))) {
            List<String> files = s.filter(Files::isRegularFile).map(p -> dir.resolve("f").relativize(p).toString()).sorted().toList();
            assertEquals(List.of(RunLayout.MARKER, RunLayout.LOCK), files, "only the marker and the lock are left");
        }
        // the next try may be any config: here another seed
        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 11", "\"seed\": 5"));
        TinyRuns.run(cfg);
        Path fresh = TinyRuns.config(dir, "fresh", "", 16);
        TinyRuns.run(Files.writeString(fresh, Files.readString(fresh).replace("\"seed\": 11", "\"seed\": 5")));
        assertEquals(TinyRuns.digest(dir.resolve("fresh")), TinyRuns.digest(dir.resolve("f")));
    }

    @Test
    void restartSaysWhatItDeletesThenStartsAfresh() throws IOException {
        Path cfg = TinyRuns.config(dir, "r", "", 16);
        TinyRuns.run(cfg);
        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 11", "\"seed\": 12"));
        assertThrows(ConfigException.class, () -> TinyRuns.run(cfg));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), "-q", "run", "--restart", cfg.toString(),
                "--plugins", dir.resolve("none").toString());
        assertEquals(Cli.OK, code, err.toString());
        String said = err.toString();
        assertTrue(said.startsWith("restart: deleting the earlier run in " + dir.resolve("r") + " ("), said);
        assertTrue(said.matches("(?s)restart: deleting .* \\(\\d+ files, [0-9.]+ MiB: boundaries.jsonl, .*images/ \\(30 files\\).*"),
                said);

        Path again = Files.writeString(dir.resolve("again.json"), Files.readString(cfg).replace("\"output\": \"r\"",
                "\"output\": \"again\""));
        TinyRuns.run(again);
        assertEquals(TinyRuns.digest(dir.resolve("again")), TinyRuns.digest(dir.resolve("r")), "a restart is a fresh run");
    }

    @Test
    void aRunMadeBeforeTheMarkerExistedIsStillResumed() throws IOException {
        Path cfg = TinyRuns.config(dir, "old", "", 16);
        TinyRuns.run(cfg);
        Map<String, String> whole = TinyRuns.digest(dir.resolve("old"));
        Files.delete(dir.resolve("old/" + RunLayout.MARKER)); // as an earlier exfacegan left it
        TinyRuns.run(cfg);
        assertEquals(whole, TinyRuns.digest(dir.resolve("old")));
    }

    private static String listing(Path p) throws IOException {
        if (!Files.exists(p)) {
            return "";
        }
        try (Stream<Path> s = Files.list(p)) {
            return String.join(", ", s.map(q -> q.getFileName().toString()).sorted().toList());
        }
    }
}
