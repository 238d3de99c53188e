package org.exfacegan.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.backbone.gansformer.GansformerProvider;
import org.exfacegan.backbone.stylegan2.StyleGan2Provider;
import org.exfacegan.backbone.stylegan3.StyleGan3Provider;
import org.exfacegan.export.ExportParity.Figures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export scripts of tools/export run with python3 on our fixture networks
 * (src/test/python/fake_official: tiny generators laid out like the official checkouts, with the
 * patterns that need the workarounds), and their exports are opened the way a run opens them:
 * through the backbone plugins on ONNX Runtime and DJL, compared with the PyTorch outputs the
 * script saved. Skipped without a python3 that has torch (failed under EXFACEGAN_REQUIRE_TORCH=1).
 */
class ExportScriptsTest {
    static final Path FAKE_OFFICIAL = Path.of("src/test/python/fake_official").toAbsolutePath();
    static final Path MAKE_FIXTURE = Path.of("src/test/python/make_fixture.py").toAbsolutePath();
    static final Map<String, String> OFFICIAL_CODE = Map.of("PYTHONPATH", FAKE_OFFICIAL.toString());
    static final List<String> RUNTIMES = List.of("onnxruntime", "djl-pytorch");

    @TempDir
    static Path pickles;

    @TempDir
    Path dir;

    /** A fixture pickle of make_fixture.py, made once for the class. */
    static synchronized Path fixture(String arch, String... options) {
        Path pkl = pickles.resolve(arch + String.join("", options) + ".pkl");
        if (!Files.exists(pkl)) {
            List<String> args = new ArrayList<>(List.of(MAKE_FIXTURE.toString(), arch, pkl.toString()));
            args.addAll(List.of(options));
            Python.Result r = Python.run(pickles, OFFICIAL_CODE, args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r.output());
        }
        return pkl;
    }

    /** Runs an export script (this folder) with the fake official code on PYTHONPATH. */
    static Python.Result export(Path workDir, String script, Object... args) {
        List<String> all = new ArrayList<>(List.of(Path.of(script).toAbsolutePath().toString()));
        for (Object a : args) {
            all.add(a.toString());
        }
        return Python.run(workDir, OFFICIAL_CODE, all.toArray(String[]::new));
    }

    Python.Result exportOk(String script, Object... args) {
        Python.Result r = export(dir, script, args);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("export checked: all differences within tolerance"), r.output());
        return r;
    }

    static void assertMatchesPyTorch(Figures f) {
        assertTrue(f.mapping() < 1e-4, f.toString());
        assertTrue(f.truncation() < 1e-5, f.toString());
        // the same floats rounded to 8 bits: at most one grey level apart, and rarely
        assertTrue(f.pixels().maxGreyLevels() <= 1 && f.pixels().fractionDiffering() < 0.005, f.toString());
        assertTrue(f.official() != null && f.official().maxGreyLevels() <= 1 && f.official().fractionDiffering() < 0.005,
                f.toString());
    }

    /** The export in out, opened by provider on ONNX Runtime and on DJL in batches of batchSize, vs PyTorch. */
    static void assertPluginMatchesPyTorch(BackboneProvider provider, Path out, Path ref, int batchSize) {
        for (String runtime : RUNTIMES) {
            assertMatchesPyTorch(ExportParity.throughPlugin(provider, out.resolve("descriptor.json"), ref, runtime, batchSize));
        }
    }

    static JsonNode source(Path out) {
        return ExportParity.json(out.resolve("descriptor.json")).get("source");
    }

    /** The ONNX exporter the script chose is recorded, with the workarounds the legacy one needed. */
    static void assertExporterRecorded(Path out, String... legacyWorkarounds) {
        JsonNode s = source(out);
        String exporter = s.get("onnx_exporter").asText();
        assertTrue(exporter.equals("legacy") || exporter.equals("dynamo"), s.toString());
        if (exporter.equals("legacy")) {
            List<String> used = new ArrayList<>();
            s.get("onnx_workarounds").forEach(n -> used.add(n.asText()));
            assertTrue(used.containsAll(List.of(legacyWorkarounds)), "workarounds " + used);
        }
    }

    @Test
    @Tag("djl") // opens the TorchScript exports too
    void styleGan2ExportMatchesPyTorchThroughThePluginOnBothRuntimes() throws IOException {
        Path out = dir.resolve("sg2");
        Path ref = dir.resolve("sg2-ref");
        exportOk("stylegan2_ada_export.py", fixture("stylegan2"), "--out", out, "--save-reference", ref);
        assertEquals(List.of("descriptor.json", "mapping.onnx", "mapping.pt", "synthesis.onnx", "synthesis.pt", "w_avg.npy"),
                List.copyOf(contents(out).keySet()), "the export and nothing else (no scratch folder)");
        JsonNode d = ExportParity.json(out.resolve("descriptor.json"));
        assertEquals("onnx", d.get("format").asText());
        assertFalse(d.get("synthesis").get("onnx").has("static_batch"), "dynamic batch: " + d);
        assertFalse(d.get("synthesis").get("torchscript").has("static_batch"), "dynamic batch: " + d);
        assertExporterRecorded(out, "static-conv-kernels");
        assertTrue(source(out).get("torchscript_workarounds").toString().contains("plain-fma"), source(out).toString());
        assertPluginMatchesPyTorch(new StyleGan2Provider(), out, ref, 3); // 4 latents in batches of 3: really dynamic
    }

    @Test
    @Tag("djl") // opens the TorchScript exports too
    void styleGan3TransformInputReproducesTheOfficialRotationThroughThePluginOptions() {
        Path out = dir.resolve("sg3");
        Path ref = dir.resolve("sg3-ref");
        exportOk("stylegan3_export.py", fixture("stylegan3"), "--out", out, "--save-reference", ref, "--static-batch", 3);
        JsonNode d = ExportParity.json(out.resolve("descriptor.json"));
        assertEquals("transform", d.get("synthesis").get("transform_input").asText());
        assertEquals(3, d.get("synthesis").get("onnx").get("static_batch").asInt());
        assertExporterRecorded(out, "affine-grid", "static-conv-kernels");
        FloatTensor identity = FloatTensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
        FloatTensor rotation = ExportParity.read(ref, "transform");
        FloatTensor plain = ExportParity.read(ref, "img");
        FloatTensor rotated = ExportParity.read(ref, "img_transform");
        // the rotation changes the images a lot, so a graph that ignored its transform input would fail below
        assertTrue(ExportParity.maxDiff(plain, rotated) > 0.1, "rotation changes the image");
        assertTrue(ExportParity.maxDiff(rotated, ExportParity.read(ref, "img_transform_official")) < 1e-4,
                "the PyTorch module with the transform input matches the official generator with that transform");
        // as a run opens it: the plugin feeds the identity, or its rotate/translate options' matrix
        Path descriptor = out.resolve("descriptor.json");
        for (String runtime : RUNTIMES) {
            assertMatchesPyTorch(ExportParity.throughPlugin(new StyleGan3Provider(), descriptor, ref, runtime, 4));
            assertMatchesPyTorch(ExportParity.throughPlugin(new StyleGan3Provider(), descriptor, ref, runtime, 4,
                    ExportParity.rotation(ref), "img_transform", "img_transform_official"));
        }
        // and graph by graph, in floats
        for (String format : List.of("onnx", "torchscript")) {
            String runtime = format.equals("onnx") ? "onnxruntime" : "djl-pytorch";
            JsonNode entry = d.get("synthesis").get(format);
            Path file = out.resolve(entry.get("file").asText());
            int staticBatch = entry.path("static_batch").asInt(0);
            assertTrue(ExportParity.maxDiff(ExportParity.graph(out.resolve(d.get("mapping").get(format).get("file").asText()),
                    runtime, Map.of("z", ExportParity.read(ref, "z")), d.get("mapping").get(format).path("static_batch")
                            .asInt(0)), ExportParity.read(ref, "w")) < 1e-4, runtime + " mapping");
            assertTrue(ExportParity.maxDiff(synthesize(file, runtime, ref, identity, staticBatch), plain) < 1e-4,
                    runtime + ": the identity transform gives the default image");
            assertTrue(ExportParity.maxDiff(synthesize(file, runtime, ref, rotation, staticBatch), rotated) < 1e-4,
                    runtime + ": a rotation gives the official generator's rotated image");
        }
    }

    private static FloatTensor synthesize(Path file, String runtime, Path ref, FloatTensor transform, int staticBatch) {
        Map<String, FloatTensor> in = new LinkedHashMap<>();
        in.put("ws", ExportParity.read(ref, "ws"));
        in.put("transform", transform);
        return ExportParity.graph(file, runtime, in, staticBatch);
    }

    @Test
    @Tag("djl") // opens the TorchScript exports too
    void styleGan3WithoutTransformInputRunsThroughThePluginWithPaddedBatches() {
        Path out = dir.resolve("sg3-plain");
        Path ref = dir.resolve("sg3-plain-ref");
        exportOk("stylegan3_export.py", fixture("stylegan3"), "--out", out, "--save-reference", ref,
                "--no-transform-input", "--check-samples", 5);
        JsonNode d = ExportParity.json(out.resolve("descriptor.json"));
        assertFalse(d.get("synthesis").has("transform_input"));
        assertEquals(4, d.get("synthesis").get("onnx").get("static_batch").asInt());
        assertPluginMatchesPyTorch(new StyleGan3Provider(), out, ref, 4); // 5 latents, static batch 4: the last one padded
    }

    @Test
    @Tag("djl") // opens the TorchScript exports too
    void gansformerExportMatchesPyTorchThroughThePluginOnBothRuntimes() {
        Path out = dir.resolve("gansformer");
        Path ref = dir.resolve("gansformer-ref");
        Python.Result r = exportOk("gansformer_export.py", fixture("gansformer"), "--out", out, "--save-reference", ref,
                "--w-avg", "official");
        assertTrue(r.output().contains("stubbing absent optional modules: gdown"), r.output());
        JsonNode d = ExportParity.json(out.resolve("descriptor.json"));
        assertEquals(4, d.get("components").asInt());
        assertExporterRecorded(out, "tile", "static-conv-kernels");
        assertPluginMatchesPyTorch(new GansformerProvider(), out, ref, 3);
    }

    @Test
    @Tag("djl") // opens the TorchScript exports too
    void anOperatorNoOnnxExporterTakesLeavesATorchScriptOnlyExport() {
        Path out = dir.resolve("sg2-ts");
        Path ref = dir.resolve("sg2-ts-ref");
        exportOk("stylegan2_ada_export.py", fixture("stylegan2"), "--out", out); // an earlier export with ONNX graphs
        Python.Result r = exportOk("stylegan2_ada_export.py", fixture("stylegan2", "--trap", "unexportable"), "--out", out,
                "--save-reference", ref);
        assertTrue(r.output().contains("no ONNX exporter worked here; the descriptor lists TorchScript only"), r.output());
        JsonNode d = ExportParity.json(out.resolve("descriptor.json"));
        assertEquals("torchscript", d.get("format").asText());
        assertFalse(d.get("mapping").has("onnx") || d.get("synthesis").has("onnx"), d.toString());
        assertTrue(source(out).get("onnx_exporter").isNull());
        assertTrue(source(out).get("onnx_exporter_failures").toString().contains("erfinv"), source(out).toString());
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".onnx")),
                    "the earlier export's ONNX graphs are gone with its descriptor");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        // the plugin picks TorchScript by itself (no runtime named) and matches PyTorch
        assertMatchesPyTorch(ExportParity.throughPlugin(new StyleGan2Provider(), out.resolve("descriptor.json"), ref, null, 8));
    }

    @Test
    void anExportThatDiffersFromPyTorchWritesNothingAndKeepsThePreviousExport() throws IOException {
        Path out = dir.resolve("sg2-kept");
        exportOk("stylegan2_ada_export.py", fixture("stylegan2"), "--out", out);
        Map<String, byte[]> before = contents(out);
        Python.Result r = export(dir, "stylegan2_ada_export.py", fixture("stylegan2", "--trap", "trace-branch"), "--out", out);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("EXPORT CHECK FAILED (nothing written to"), r.output());
        assertTrue(r.output().contains("TorchScript synthesis vs PyTorch: max |diff|"), r.output());
        Map<String, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet(), "no file added or removed (no scratch folder left)");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " unchanged"));

        // without TorchScript files the trace the legacy ONNX graphs come from is still checked; a new folder goes again
        Path fresh = dir.resolve("sg2-fresh");
        r = export(dir, "stylegan2_ada_export.py", fixture("stylegan2", "--trap", "trace-branch"), "--out", fresh,
                "--no-torchscript", "--onnx-exporter", "legacy");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("TorchScript trace (not saved) synthesis vs PyTorch: max |diff|"), r.output());
        assertFalse(Files.exists(fresh), "the folder the failed export created is removed");

        // modules that do not reproduce the official G(z): stopped before anything is exported
        r = export(dir, "stylegan2_ada_export.py", fixture("stylegan2", "--trap", "official-drift"), "--out", fresh);
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("PyTorch modules to export vs official G(z): max |diff| 0.01 > tolerance"), r.output());
        assertTrue(r.output().contains("do not reproduce the official generator; nothing exported"), r.output());
        assertFalse(r.output().contains("legacy exporter"), "no exporter ran: " + r.output());
        assertFalse(Files.exists(fresh));
    }

    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                m.put(f.getFileName().toString(), Files.isDirectory(f) ? new byte[0] : Files.readAllBytes(f));
            }
        }
        return m;
    }

    @Test
    void userErrorsStopWithAMessageNamingTheirCause() {
        Path missing = dir.resolve("missing.pkl");
        Python.Result r = export(dir, "stylegan2_ada_export.py", missing, "--out", dir.resolve("x"));
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("error: network pickle " + missing + ": no such file"), r.output());
        assertFalse(r.output().contains("Traceback"), r.output());

        Path sg3 = fixture("stylegan3");
        r = export(dir, "stylegan2_ada_export.py", sg3, "--out", dir.resolve("x"));
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("does not hold a StyleGAN2 synthesis network; use stylegan3_export.py"), r.output());

        r = Python.run(dir, Map.of("PYTHONPATH", ""), Path.of("stylegan3_export.py").toAbsolutePath().toString(),
                sg3.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("error: put your checkout of NVlabs/stylegan3 on PYTHONPATH"), r.output());
        assertFalse(r.output().contains("Traceback"), r.output());

        r = export(dir, "gansformer_export.py", sg3, "--out", dir.resolve("x"));
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("cannot load the network pickle " + sg3), r.output());
        assertFalse(Files.exists(dir.resolve("x")), "nothing written on a usage error");
    }

    @Test
    void pythonUnitTestsOfTheExportLibraryPass() {
        Python.Result r = Python.run(Path.of(""), OFFICIAL_CODE, "-m", "unittest", "discover", "-s", "src/test/python",
                "-t", "src/test/python", "-p", "test_*.py");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("OK"), r.output());
    }
}
