package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in a child JVM killed with SIGKILL at random moments, again and again, then finished:
 * the dataset must be byte-identical to an uninterrupted run.
 */
class KillResumeTest {
    /** Kill points per test run; -Dexfacegan.killPoints raises it. */
    static final int KILLS = Integer.getInteger("exfacegan.killPoints", 20);

    @TempDir
    Path dir;

    @Test
    void killedAtRandomPointsResumesToTheSameDataset() throws Exception {
        TinyRuns.run(TinyRuns.config(dir, "reference", "", 16));
        Path cfg = TinyRuns.config(dir, "killed", "", 16);
        SplittableRandom rnd = new SplittableRandom(20261128);
        int kills = 0;
        int completedEarly = 0;
        List<String> stagesHit = new ArrayList<>();
        while (kills < KILLS) {
            Process p = child(cfg);
            long waitMs = 200 + rnd.nextInt(2200);
            if (p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                // finished before the kill: start over from an empty folder to keep killing
                assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes()));
                completedEarly++;
                RunFolder.deleteTree(dir.resolve("killed"));
                continue;
            }
            stagesHit.add(stage(dir.resolve("killed")));
            p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no cleanup
            kills++;
        }
        Process last = child(cfg);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "resumed run did not finish");
        assertEquals(0, last.exitValue(), new String(last.getErrorStream().readAllBytes()));
        System.out.printf("kill-and-resume: %d kills survived (stages when killed: %s), %d runs finished before their kill%n",
                kills, stagesHit, completedEarly);
        TinyRuns.assertSameFiles(dir.resolve("reference"), dir.resolve("killed"));
    }

    private Process child(Path cfg) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dtinygan.delayMs=120",
                "org.exfacegan.runner.Main", "-q", "run", cfg.toString(), "--plugins", dir.resolve("none").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("child-err.txt").toFile())
                .start();
    }

    /** Which stage the run is in, judged from its files. */
    private static String stage(Path out) {
        if (!Files.exists(out.resolve("probe/DONE"))) {
            return "probe";
        }
        if (!Files.exists(out.resolve(BoundaryStage.REPORT))) {
            return "fit";
        }
        if (!Files.exists(out.resolve(DatasetFinisher.SUMMARY))) {
            File images = out.resolve("images").toFile();
            String[] ids = images.list();
            return "samples(" + (ids == null ? 0 : ids.length) + ")";
        }
        return "finish";
    }
}
