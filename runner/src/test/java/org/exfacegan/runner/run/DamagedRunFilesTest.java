package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.report.FinishedRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a run reads back are bound to their records strictly: a damaged one stops the reader
 * with an error naming the file and the field (by JSON pointer), never a wrong value read on; and
 * nothing of the run is changed by the refusal.
 */
class DamagedRunFilesTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedRunJsonIsNamedByFileAndFieldAndChangesNothing() throws IOException {
        Path cfg = TinyRuns.config(dir, "r", "", 16);
        TinyRuns.run(cfg);
        Path run = dir.resolve("r");
        Path runJson = run.resolve(RunLayout.RUN_JSON);
        String good = Files.readString(runJson);

        Files.writeString(runJson, good.replace("\"status\" : \"complete\"", "\"status\" : \"done\""));
        Map<String, String> before = TinyRuns.digest(run);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> RunCheck.check(run, Progress.QUIET));
        assertEquals("run record " + runJson + ": /status: unknown value \"done\"; one of: running, complete", e.getMessage());
        e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg)); // a resume reads it too
        assertTrue(e.getMessage().startsWith("run record " + runJson + ": /status: unknown value \"done\""), e.getMessage());
        e = assertThrows(ExfaceganException.class, () -> FinishedRun.read(run));
        assertTrue(e.getMessage().startsWith("run record " + runJson + ": /status: "), e.getMessage());
        assertEquals(before, TinyRuns.digest(run), "a refused file changes nothing");

        // the batch size the run keeps (written last in run.json) given as a string
        int kept = good.lastIndexOf("\"batch_size\" : 16");
        Files.writeString(runJson, good.substring(0, kept) + "\"batch_size\" : \"16\"" + good.substring(kept + "\"batch_size\" : 16".length()));
        e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().startsWith("run record " + runJson + ": /") && e.getMessage().contains(
                "/model_options/batch_size: wrong type"), e.getMessage());

        Files.writeString(runJson, good); // restored: the run resumes as if nothing happened
        TinyRuns.run(cfg);
    }

    @Test
    void aDamagedManifestLineIsNamedByLineAndField() throws IOException {
        Path cfg = TinyRuns.config(dir, "m", "", 16);
        TinyRuns.run(cfg);
        Path manifest = dir.resolve("m").resolve(RunLayout.MANIFEST);
        String[] lines = Files.readString(manifest).split("\n");
        lines[2] = lines[2].replace("\"side\": 1", "\"side\": 1.5");
        Files.writeString(manifest, String.join("\n", lines) + "\n");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> FinishedRun.read(dir.resolve("m")));
        assertTrue(e.getMessage().startsWith("run file " + manifest + " line 3: /side: wrong type"), e.getMessage());
    }
}
