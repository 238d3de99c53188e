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
import org.exfacegan.runner.layout.RunLayout;
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
            Process p = child(cfg, 120);
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
        Process last = child(cfg, 120);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "resumed run did not finish");
        assertEquals(0, last.exitValue(), new String(last.getErrorStream().readAllBytes()));
        System.out.printf("kill-and-resume: %d kills survived (stages when killed: %s), %d runs finished before their kill%n",
                kills, stagesHit, completedEarly);
        TinyRuns.assertSameFiles(dir.resolve("reference"), dir.resolve("killed"));
    }

    /**
     * Random kills rarely land in the short stages (the fit takes milliseconds), so here the child is
     * killed the moment its files show it entered each stage in turn: probe, fit, samples (identities
     * being drawn and written), finish (dataset index files). Then resumed: the same dataset.
     */
    @Test
    void killedInEveryStageResumesToTheSameDataset() throws Exception {
        String extra = ", \"identities\": 60, \"fitter\": {\"type\": \"svm\"}";
        Path refCfg = TinyRuns.config(dir, "reference", "", 16);
        Files.writeString(refCfg, Files.readString(refCfg).replace(", \"identities\": 6", extra));
        TinyRuns.run(refCfg);
        Path cfg = TinyRuns.config(dir, "staged", "", 16);
        Files.writeString(cfg, Files.readString(cfg).replace(", \"identities\": 6", extra));
        Path out = dir.resolve("staged");
        int ids = 60;
        java.util.Map<String, Integer> hits = new java.util.LinkedHashMap<>();
        List<String> order = List.of("probe", "fit", "samples", "finish");
        for (String wanted : order) {
            for (int attempt = 0; attempt < 12 && !hits.containsKey(wanted); attempt++) {
                if (order.indexOf(stageName(out, ids)) > order.indexOf(wanted) || stageName(out, ids).equals("done")) {
                    RunFolder.deleteTree(out); // past it: start over to reach it again
                }
                long start = System.currentTimeMillis();
                int idsAtStart = identitiesPresent(out);
                Process p = child(cfg, 15);
                boolean entered = false;
                while (p.isAlive() && !entered) {
                    entered = switch (wanted) {
                        case "probe" -> Files.exists(out.resolve("probe/chunks/00000")) && !Files.exists(out.resolve("probe/DONE"));
                        case "fit" -> Files.exists(out.resolve(RunLayout.REFERENCES_JSON))
                                && Files.getLastModifiedTime(out.resolve(RunLayout.REFERENCES_JSON)).toMillis() >= start - 1000
                                && !Files.exists(out.resolve(RunLayout.BOUNDARY_REPORT));
                        case "samples" -> identitiesPresent(out) > idsAtStart && identitiesPresent(out) < ids;
                        default -> identitiesPresent(out) == ids;
                    };
                    if (!entered) {
                        Thread.onSpinWait();
                    }
                }
                p.destroyForcibly().waitFor(); // SIGKILL
                String landed = stageName(out, ids);
                hits.merge(landed, 1, Integer::sum);
            }
        }
        Process last = child(cfg, 0);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "resumed run did not finish");
        assertEquals(0, last.exitValue(), Files.readString(dir.resolve("child-err.txt")));
        System.out.printf("kill in every stage: kills landed per stage %s, then resumed to the same dataset%n", hits);
        for (String stage : order) {
            assertTrue(hits.getOrDefault(stage, 0) > 0, "no kill landed in stage " + stage + ": " + hits);
        }
        assertEquals(TinyRuns.digest(dir.resolve("reference")), TinyRuns.digest(out));
    }

    private static int identitiesPresent(Path out) {
        String[] names = out.resolve("images").toFile().list();
        return names == null ? 0 : (int) java.util.Arrays.stream(names).filter(n -> !n.startsWith(".")).count();
    }

    /** The stage a stopped run is in, judged from its files. */
    private static String stageName(Path out, int ids) throws IOException {
        if (!Files.exists(out.resolve("probe/DONE"))) {
            return "probe";
        }
        if (!Files.exists(out.resolve(RunLayout.BOUNDARY_REPORT))) {
            return "fit";
        }
        if (identitiesPresent(out) < ids) {
            return "samples";
        }
        Path runJson = out.resolve(RunLayout.RUN_JSON);
        return Files.exists(runJson) && Files.readString(runJson).contains("\"status\" : \"complete\"") ? "done" : "finish";
    }

    private Process child(Path cfg, int delayMs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dtinygan.delayMs=" + delayMs,
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
        if (!Files.exists(out.resolve(RunLayout.BOUNDARY_REPORT))) {
            return "fit";
        }
        if (!Files.exists(out.resolve(RunLayout.SUMMARY))) {
            File images = out.resolve("images").toFile();
            String[] ids = images.list();
            return "samples(" + (ids == null ? 0 : ids.length) + ")";
        }
        return "finish";
    }
}
