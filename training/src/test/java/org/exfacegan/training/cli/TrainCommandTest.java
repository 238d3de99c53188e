package org.exfacegan.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} joins the command line through the runner's extension hook, with the project's exit codes. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        return Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void trainIsListedAndHasHelp() {
        assertEquals(Cli.OK, cli("--help"));
        assertTrue(out.toString().contains("train"), out.toString());
        assertEquals(Cli.OK, cli("train", "--help"));
        assertTrue(out.toString().contains("Killed or failed, the same command resumes"), out.toString());
    }

    @Test
    void badConfigsExitWithTwoAndNameTheField() throws Exception {
        assertEquals(Cli.BAD_INPUT, cli("train", dir.resolve("missing.json").toString()));
        assertTrue(err.toString().contains("missing.json: file not found"), err.toString());
        Files.createDirectories(dir.resolve("faces"));
        Path cfg = Files.writeString(dir.resolve("t.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", \"data\": \"faces\", "
                + "\"loss\": {\"type\": \"arcface\", \"m\": 3}}");
        assertEquals(Cli.BAD_INPUT, cli("train", cfg.toString()));
        assertTrue(err.toString().contains("/loss/m: is 3.0"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written for a config that fails its checks");
    }

    /** Rules that need the data are config errors too: exit 2, the field named, no stack trace. */
    @Test
    void dataDependentRulesNameTheirField() throws Exception {
        Path faces = dir.resolve("faces");
        org.exfacegan.training.data.DatasetsTestSupport.folders(faces, 3, 2);
        String base = "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", \"data\": \"faces\", \"network\": {\"type\": \"iresnet18\", "
                + "\"width\": 0.0625, \"stem_stride\": 2, \"embedding_size\": 16}";
        Path cfg = Files.writeString(dir.resolve("t.json"), base + ", \"holdout\": {\"identities\": 2}}");
        assertEquals(Cli.BAD_INPUT, cli("-q", "train", cfg.toString()));
        assertTrue(err.toString().contains("/holdout/identities: is 2, which leaves 1 of the data's 3 identities to train on"),
                err.toString());
        Files.writeString(cfg, base + ", \"holdout\": {\"identities\": 0}, \"batch_size\": 8}");
        assertEquals(Cli.BAD_INPUT, cli("-q", "train", cfg.toString()));
        assertTrue(err.toString().contains("/batch_size: is 8 but the training identities have only 6 images"), err.toString());
        Path one = dir.resolve("one");
        org.exfacegan.training.data.DatasetsTestSupport.folders(one, 1, 4);
        Files.createDirectories(one.resolve("empty"));
        Files.writeString(cfg, base.replace("\"faces\"", "\"one\"") + "}");
        assertEquals(Cli.BAD_INPUT, cli("-q", "train", cfg.toString()));
        assertTrue(err.toString().contains("/data: image folders " + one + " holds 1 identity with images (skipped: identity folder "
                + one.resolve("empty") + " holds no images); training a recogniser needs at least 2"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertFalse(Files.exists(dir.resolve("out")), "the data is checked before anything is written");
    }

    /** The CPU build refuses cuda:N with the way to get it, before writing anything (run failure: exit 1). */
    @Test
    void cudaOnTheCpuBuildNamesTheProfile() throws Exception {
        org.exfacegan.training.data.DatasetsTestSupport.folders(dir.resolve("faces"), 3, 2);
        Path cfg = Files.writeString(dir.resolve("t.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", "
                + "\"data\": \"faces\", \"batch_size\": 2, \"holdout\": {\"identities\": 0}, \"device\": \"cuda:0\"}");
        assertEquals(Cli.RUN_FAILURE, cli("-q", "train", cfg.toString()));
        assertTrue(err.toString().contains("device cuda:0 requested for training " + cfg) && err.toString().contains("-Pdjl-cuda"),
                err.toString());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    /** One training per output folder: a second is refused, naming the holder, and leaves the folder alone. */
    @Test
    void aSecondTrainingOnTheSameFolderIsRefused() throws Exception {
        org.exfacegan.training.data.DatasetsTestSupport.folders(dir.resolve("faces"), 3, 2);
        Path cfg = Files.writeString(dir.resolve("t.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", "
                + "\"data\": \"faces\", \"batch_size\": 2, \"holdout\": {\"identities\": 0}}");
        try (org.exfacegan.runner.run.RunFolder held = org.exfacegan.runner.run.RunFolder.open(dir.resolve("out"))) {
            assertTrue(held.exists(org.exfacegan.runner.run.RunFolder.LOCK));
            assertEquals(Cli.RUN_FAILURE, cli("-q", "train", cfg.toString()));
        }
        assertTrue(err.toString().contains("output folder " + dir.resolve("out") + " is in use by another run (process "),
                err.toString());
        try (var files = Files.list(dir.resolve("out"))) {
            // only what the holding run wrote: its marker and its lock
            assertEquals(java.util.Set.of(dir.resolve("out/run.lock"), dir.resolve("out/.exfacegan-run")),
                    java.util.Set.copyOf(files.toList()));
        }
    }
}
