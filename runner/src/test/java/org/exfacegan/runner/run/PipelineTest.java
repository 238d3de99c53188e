package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.testing.TinyWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearKnobs() {
        System.clearProperty("tinygan.failAfter");
        System.clearProperty("tinygan.nanAfter");
    }

    @Test
    void runWritesACompleteDatasetThatKeepsTrueIdentity() throws IOException {
        RunSummary s = TinyRuns.run(TinyRuns.config(dir, "out", "", 16));
        Path out = dir.resolve("out");
        assertEquals(6, s.identities());
        assertEquals(30, s.images());
        for (int i = 0; i < 6; i++) {
            try (var files = Files.list(out.resolve("images").resolve(String.format("%05d", i)))) {
                assertEquals(5, files.count());
            }
        }
        assertEquals(30, Files.readAllLines(out.resolve("manifest.jsonl")).size());
        assertEquals(List.of(30L, (long) TinyWorld.DIM), List.of(boxed(Npy.read(out.resolve("latents.npy")).shape())));
        Npy.Array normals = Npy.read(out.resolve("boundaries.npy"));
        assertEquals(List.of(6L, (long) TinyWorld.DIM), List.of(boxed(normals.shape())));
        assertTrue(Files.size(out.resolve("contact_sheet.png")) > 100);
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"status\" : \"complete\""));

        // the fitted normals point along each reference's true identity direction
        float[] lat = Npy.read(out.resolve("probe/latents.npy")).floats();
        List<Integer> refs = List.of(0, 1, 2, 3, 4, 5);
        double meanCos = 0;
        for (int r = 0; r < 6; r++) {
            double[] f = TinyWorld.factors(lat, refs.get(r) * TinyWorld.DIM);
            double[] truth = new double[TinyWorld.DIM];
            for (int k = 0; k < TinyWorld.ID_DIM; k++) {
                for (int j = 0; j < TinyWorld.DIM; j++) {
                    truth[j] += TinyWorld.Q[k][j] * f[k];
                }
            }
            meanCos += cosine(truth, normals.floats(), r * TinyWorld.DIM) / 6;
        }
        System.out.printf("tiny world: normals vs true identity direction, mean cosine %.3f; held-out accuracy %.3f; "
                + "ground truth %s%n", meanCos, s.boundaryHeldOutMean(), s.groundTruth());
        assertTrue(meanCos > 0.8, "mean cosine " + meanCos);
        // samples keep the true identity far better than random latents do
        assertTrue(s.groundTruth().get("consistency_ratio") < 0.6, s.groundTruth().toString());
        assertTrue(s.boundaryHeldOutMean() > 0.85, "held-out accuracy " + s.boundaryHeldOutMean());
    }

    @Test
    void sameFilesWhateverTheBatchSize() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "a", "", 16));
        TinyRuns.run(TinyRuns.config(dir, "b", "", 3));
        Map<String, String> a = TinyRuns.digest(dir.resolve("a"));
        assertTrue(a.size() > 40, a.keySet().toString());
        assertEquals(a, TinyRuns.digest(dir.resolve("b")));
    }

    @Test
    void failedRunResumesToTheSameDataset() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        Path cfg = TinyRuns.config(dir, "x", "", 16);
        System.setProperty("tinygan.failAfter", "8"); // during sampling
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().contains("injected model failure"), e.getMessage());
        try (var s = Files.list(dir.resolve("x/images"))) {
            List<Path> present = s.toList();
            assertTrue(present.size() < 6, present.toString());
            assertTrue(present.stream().noneMatch(p -> p.getFileName().toString().startsWith(".")), "no partial identity visible");
        }
        System.clearProperty("tinygan.failAfter");
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(dir.resolve("x")));
    }

    @Test
    void identitiesLeftWithEmptyFilesAreWrittenAgain() throws IOException {
        Path cfg = TinyRuns.config(dir, "empty", "", 16);
        TinyRuns.run(cfg);
        Map<String, String> whole = TinyRuns.digest(dir.resolve("empty"));
        // what a power loss can leave behind: published names whose data never reached the disk
        Files.write(dir.resolve("empty/images/00002/0001.png"), new byte[0]);
        Files.write(dir.resolve("empty/meta/00004.jsonl"), new byte[0]);
        TinyRuns.run(cfg);
        assertEquals(whole, TinyRuns.digest(dir.resolve("empty")));
    }

    @Test
    void nonFiniteLatentsFailLoudly() throws IOException {
        System.setProperty("tinygan.nanAfter", "1");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(TinyRuns.config(dir, "nan", "", 16)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("nan/probe/DONE")));
    }

    @Test
    void recognizerRejectingEveryFaceGivesAClearError() throws IOException {
        Path cfg = TinyRuns.config(dir, "rej", "", 16);
        Files.writeString(cfg, Files.readString(cfg).replace("\"model\": \"tiny.model\"}",
                "\"model\": \"tiny.model\", \"options\": {\"reject_all\": true}}"));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertEquals("only 0 of the 6 identities asked for could be chosen (0 probes accepted, 0 skipped as look-alikes); "
                + "draw more probes or lower identities", e.getMessage());
    }

    @Test
    void editedConfigIsRefusedOnResume() throws IOException {
        Path cfg = TinyRuns.config(dir, "e", "", 16);
        TinyRuns.run(cfg);
        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 11", "\"seed\": 12"));
        ConfigException e = assertThrows(ConfigException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().startsWith("output folder " + dir.resolve("e") + " holds a run of a different config"),
                e.getMessage());
        // batch size is not part of the experiment: changing it resumes fine
        Files.writeString(cfg, Files.readString(cfg).replace("\"seed\": 12", "\"seed\": 11").replace("\"batch_size\": 16", "\"batch_size\": 2"));
        TinyRuns.run(cfg);
    }

    @Test
    void secondRunOnTheSameFolderIsRefusedNamingTheHolder() throws IOException {
        Path cfg = TinyRuns.config(dir, "locked", "", 16);
        try (RunFolder held = RunFolder.open(dir.resolve("locked"))) {
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
            assertTrue(e.getMessage().startsWith("output folder " + dir.resolve("locked") + " is in use by another run (process "),
                    e.getMessage());
        }
    }

    @Test
    void uniquenessFilterSkipsLookAlikes() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "u", ", \"uniqueness\": 0.3", 16));
        String refs = Files.readString(dir.resolve("u/references.json"));
        assertFalse(refs.contains("\"skipped_look_alikes\" : 0"), refs);
    }

    private static Long[] boxed(long[] a) {
        Long[] b = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    private static double cosine(double[] a, float[] b, int offset) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[offset + i];
            na += a[i] * a[i];
            nb += b[offset + i] * b[offset + i];
        }
        return d / Math.sqrt(na * nb);
    }
}
