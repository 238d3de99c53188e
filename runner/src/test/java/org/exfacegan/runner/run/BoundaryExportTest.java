package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.run.BoundaryExport.Convention;
import org.exfacegan.runner.testing.TinyWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-boundaries on a tiny-world run: the reference code's files, signs and sampling step. */
class BoundaryExportTest {
    @TempDir
    Path dir;

    private Path config;
    private Path run;

    @BeforeEach
    void runTinyWorld() throws IOException {
        config = TinyRuns.config(dir, "run", "", 16);
        TinyRuns.run(config);
        run = dir.resolve("run");
    }

    @Test
    void referenceConventionIsOurNormalNegatedInTheReferenceFileLayout() throws IOException {
        BoundaryExport.Result r = BoundaryExport.export(run, dir.resolve("ref"), Convention.REFERENCE);
        BoundaryExport.export(run, dir.resolve("ours"), Convention.EXFACEGAN);
        assertEquals(6, r.boundaries());
        assertEquals(TinyWorld.DIM, r.dim());
        assertEquals("w", r.space()); // the tiny world fits in w (= z there; w is named first)
        float[] normals = Npy.read(run.resolve("boundaries.npy")).floats();
        float[] probes = Npy.read(run.resolve("probe/latents.npy")).floats();
        List<String> index = Files.readAllLines(dir.resolve("ref/index.jsonl"));
        assertEquals(6, index.size());
        for (int b = 0; b < 6; b++) {
            Npy.Array ref = Npy.read(dir.resolve(String.format("ref/boundaries/boundary_%05d.npy", b)));
            Npy.Array ours = Npy.read(dir.resolve(String.format("ours/boundaries/boundary_%05d.npy", b)));
            assertArrayEquals(new long[] {1, TinyWorld.DIM}, ref.shape()); // as train_boundaries.py saves it
            float[] expected = java.util.Arrays.copyOfRange(normals, b * TinyWorld.DIM, (b + 1) * TinyWorld.DIM);
            assertArrayEquals(expected, ours.floats());
            for (int j = 0; j < TinyWorld.DIM; j++) {
                assertEquals(expected[j], -1 * ref.floats()[j], 0f, "boundary " + b + " dim " + j);
            }
            // latent k pairs with boundary k (create_dataset.py's load_lats_to_boundary), shape (dim,)
            JsonNode line = Json.MAPPER.readTree(index.get(b));
            int probe = line.get("reference_probe").asInt();
            Npy.Array lat = Npy.read(dir.resolve(String.format("ref/w_latents/%07d.npy", b)));
            assertArrayEquals(new long[] {TinyWorld.DIM}, lat.shape());
            assertArrayEquals(java.util.Arrays.copyOfRange(probes, probe * TinyWorld.DIM, (probe + 1) * TinyWorld.DIM), lat.floats());
            assertTrue(line.get("held_out_accuracy").asDouble() > 0.5, index.get(b));
        }
        JsonNode about = Json.MAPPER.readTree(dir.resolve("ref/export.json").toFile());
        assertEquals("reference", about.get("convention").asText());
        assertEquals("w_ref - u * n", about.get("similar_side_step").asText());
        assertEquals("w_ref + u * n", Json.MAPPER.readTree(dir.resolve("ours/export.json").toFile())
                .get("similar_side_step").asText());
    }

    /**
     * The reference code's sampling step, w = w_ref - u (*) n with u ~ U(0, max_dist) per dimension, on an
     * exported normal: the recogniser finds the samples closer to the reference than those of the
     * opposite step, and our signed distance says they moved to the similar side.
     */
    @Test
    void referenceStyleStepWithTheExportedNormalMovesTowardTheSimilarSide() throws IOException {
        BoundaryExport.export(run, dir.resolve("ref"), Convention.REFERENCE);
        ResolvedConfig rc = TinyRuns.resolve(config);
        var host = Pipeline.modelHost(TinyRuns.registry());
        float[] ours = Npy.read(run.resolve("boundaries.npy")).floats();
        float[] offsets = Npy.read(run.resolve("offsets.npy")).floats();
        int dim = TinyWorld.DIM;
        int samples = 40;
        double maxDist = 4;
        try (Backbone backbone = Pipeline.openBackbone(rc.backbone(), host);
             Recognizer recognizer = Pipeline.openRecognizer(rc.recognizer(), host)) {
            for (int b = 0; b < 6; b++) {
                float[] n = Npy.read(dir.resolve(String.format("ref/boundaries/boundary_%05d.npy", b))).floats();
                float[] ref = Npy.read(dir.resolve(String.format("ref/w_latents/%07d.npy", b))).floats();
                float[] toward = new float[samples * dim];
                float[] away = new float[samples * dim];
                SplittableRandom rnd = new SplittableRandom(b);
                for (int i = 0; i < samples; i++) {
                    for (int j = 0; j < dim; j++) {
                        double u = rnd.nextDouble() * maxDist;
                        toward[i * dim + j] = (float) (ref[j] - u * n[j]);
                        away[i * dim + j] = (float) (ref[j] + u * n[j]);
                    }
                }
                float[] refEmb = recognizer.embed(backbone.render(FloatTensor.of(ref, 1, dim))).vectors()[0];
                double simToward = meanCosine(recognizer, backbone, toward, samples, refEmb);
                double simAway = meanCosine(recognizer, backbone, away, samples, refEmb);
                System.out.printf("boundary %d: mean cosine toward %.3f, away %.3f%n", b, simToward, simAway);
                assertTrue(simToward > simAway + 0.1, "boundary " + b + ": toward " + simToward + " vs away " + simAway);
                double before = signedDistance(ours, offsets[b], b, ref, 0);
                for (int i = 0; i < samples; i++) {
                    assertTrue(signedDistance(ours, offsets[b], b, toward, i * dim) >= before - 1e-5,
                            "boundary " + b + " sample " + i + " moved to the dissimilar side");
                }
            }
        }
    }

    private static double meanCosine(Recognizer rec, Backbone backbone, float[] latents, int n, float[] refEmb) {
        float[][] v = rec.embed(backbone.render(FloatTensor.of(latents, n, TinyWorld.DIM))).vectors();
        double s = 0;
        for (float[] e : v) {
            s += SampleStage.dot(e, refEmb);
        }
        return s / n;
    }

    private static double signedDistance(float[] normals, float offset, int b, float[] x, int xo) {
        double s = offset;
        for (int j = 0; j < TinyWorld.DIM; j++) {
            s += (double) normals[b * TinyWorld.DIM + j] * x[xo + j];
        }
        return s;
    }

    @Test
    void refusesAFolderWithFilesAndARunWithoutBoundariesLeavingNothingBehind() throws IOException {
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("boundary_00042.npy"), "old");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> BoundaryExport.export(run, busy, Convention.REFERENCE));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertEquals("old", Files.readString(busy.resolve("boundary_00042.npy")));

        Files.delete(run.resolve("boundaries.jsonl"));
        e = assertThrows(ExfaceganException.class, () -> BoundaryExport.export(run, dir.resolve("x"), Convention.REFERENCE));
        assertTrue(e.getMessage().contains("has no boundaries yet"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
        assertFalse(Files.exists(dir.resolve(".x.tmp")));
    }

    @Test
    void aFileOrFolderAtTheTemporaryNameIsNeitherUsedNorDeleted() throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve(".kept.tmp")).resolve("mine.txt"), "someone's");
        BoundaryExport.export(run, dir.resolve("kept"), Convention.REFERENCE);
        assertEquals("someone's", Files.readString(dir.resolve(".kept.tmp/mine.txt")));
        assertTrue(Files.isRegularFile(dir.resolve("kept/export.json")));
        assertFalse(Files.exists(dir.resolve(".kept.tmp2")), "its own temporary is renamed into place");
    }

    @Test
    void commandLineWritesTheExportAndRejectsAnUnknownConvention() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String plugins = dir.resolve("no-plugins").toString();
        assertEquals(0, Cli.execute(new PrintWriter(out), new PrintWriter(err), "export-boundaries", run.toString(),
                "--out", dir.resolve("e").toString(), "--plugins", plugins));
        assertTrue(out.toString().contains("exported 6 boundaries (12-d, w space, reference convention: normals point to the "
                + "dissimilar side)"), out.toString());
        assertTrue(Files.exists(dir.resolve("e/boundaries/boundary_00005.npy")));
        assertEquals(2, Cli.execute(new PrintWriter(out), new PrintWriter(err), "export-boundaries", run.toString(),
                "--out", dir.resolve("f").toString(), "--convention", "sklearn"));
        assertTrue(err.toString().contains("unknown convention \"sklearn\"; one of: reference, exfacegan"), err.toString());
        assertFalse(Files.exists(dir.resolve("f")));
    }
}
