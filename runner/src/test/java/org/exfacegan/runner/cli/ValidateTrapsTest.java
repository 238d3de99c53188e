package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code run} (or {@code compare}) refuses before computing anything, {@code validate} refuses
 * too, with the same message: each test is a config that validate once called OK.
 */
class ValidateTrapsTest {
    @TempDir
    Path dir;

    /** Protocol-4 pickle bytes, as torch.save / pickle.dump start a file. */
    private static final byte[] PICKLE = {(byte) 0x80, 0x04, (byte) 0x95, 0x16, 0, 0, 0, 0, 0, 0, 0, 0x7d, (byte) 0x94};

    private record Result(int code, String out, String err) {}

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("-q", "--plugins", dir.resolve("none").toString()), Stream.of(args))
                .toArray(String[]::new);
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), all);
        return new Result(code, out.toString(), err.toString().strip());
    }

    private Path config(String name, String backboneModel, String recognizerModel, String seed) throws IOException {
        Files.writeString(dir.resolve("tiny.model"), "tiny world");
        return Files.writeString(dir.resolve(name), """
                {"name": "t", "seed": %s, "output": "out",
                 "backbone": {"type": "tiny-gan", "model": "%s"},
                 "recognizer": {"type": "tiny-face", "model": "%s"},
                 "probes": 40, "identities": 3, "samples_per_identity": 2}
                """.formatted(seed, backboneModel, recognizerModel));
    }

    /** validate and run give the same refusal, exit code 2, and run leaves no output behind. */
    private String refusedByBoth(Path config) {
        Result v = cli("validate", config.toString());
        assertEquals(Cli.BAD_INPUT, v.code(), v.out() + v.err());
        Result r = cli("run", config.toString());
        assertEquals(Cli.BAD_INPUT, r.code(), r.err());
        assertEquals(r.err(), v.err(), "validate says what run says");
        return v.err();
    }

    @Test
    void aFolderHoldingARunOfAnotherConfigIsRefusedByValidateAsByRun() throws IOException {
        Path first = config("first.json", "tiny.model", "tiny.model", "1");
        assertEquals(Cli.OK, cli("run", first.toString()).code());
        Result again = cli("validate", first.toString());
        assertEquals(Cli.OK, again.code(), again.err());
        assertTrue(again.out().contains("output:     " + dir.resolve("out") + " (holds a run of this config: run resumes it)"),
                again.out());

        Path other = config("other.json", "tiny.model", "tiny.model", "2");
        String before = Files.readString(dir.resolve("out").resolve(RunLayout.RUN_JSON));
        String err = refusedByBoth(other);
        assertTrue(err.startsWith("error: output folder " + dir.resolve("out") + " holds a run of a different config"), err);
        assertEquals(before, Files.readString(dir.resolve("out").resolve(RunLayout.RUN_JSON)), "the earlier run untouched");
    }

    @Test
    void aPickleGivenAsAModelPointsAtTheExportScripts() throws IOException {
        Files.write(dir.resolve("network-snapshot-000100.pkl"), PICKLE);
        Path backbone = config("b.json", "network-snapshot-000100.pkl", "tiny.model", "1");
        String err = refusedByBoth(backbone);
        assertEquals("error: config " + backbone + ": /backbone/model: " + dir.resolve("network-snapshot-000100.pkl")
                + " is a Python pickle (a training checkpoint such as NVlabs' network-snapshot-*.pkl), which exfacegan does "
                + "not run: export it first with the script for its architecture in tools/export (tools/export/README.md), e.g. "
                + "python3 tools/export/stylegan2_ada_export.py network-snapshot-000100.pkl --out DIR, and give the descriptor "
                + "DIR/model.json it writes here", err);

        // renamed, it is still recognised by its first bytes; for a recogniser the advice is ONNX or TorchScript
        Files.write(dir.resolve("arcface_r50"), PICKLE);
        Path recognizer = config("r.json", "tiny.model", "arcface_r50", "1");
        err = refusedByBoth(recognizer);
        assertTrue(err.startsWith("error: config " + recognizer + ": /recognizer/model: " + dir.resolve("arcface_r50")
                + " is a Python pickle"), err);
        assertTrue(err.endsWith("export the network to ONNX (.onnx) or TorchScript (.pt) and give that file here"), err);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aGraphReadAsADescriptorSaysWhereTheDescriptorIs() throws IOException {
        Path graph = Files.write(dir.resolve("synthesis.onnx"), new byte[] {8, 7, 0, 0});
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> PluginJson.READER.read(graph, RunRecord.class, "model descriptor"));
        assertEquals("model descriptor " + graph + ": is a model graph (.onnx), not a model descriptor: give the descriptor "
                + "(model.json) that tools/export writes beside the graphs; it names them (docs/backbones/descriptor.md)",
                e.getMessage());
        Path pickle = Files.write(dir.resolve("G.pkl"), PICKLE);
        e = assertThrows(ExfaceganException.class, () -> PluginJson.READER.read(pickle, RunRecord.class, "model descriptor"));
        assertTrue(e.getMessage().contains("tools/export/stylegan2_ada_export.py G.pkl"), e.getMessage());
    }

    @Test
    void aMissingRelativePathSaysItIsRelativeToTheConfigsFolder() throws IOException {
        Path c = config("c.json", "models/g.json", "tiny.model", "1");
        String err = refusedByBoth(c);
        assertEquals("error: config " + c + ": /backbone/model: file not found: " + dir.resolve("models/g.json")
                + " (\"models/g.json\" is relative to the config's folder " + dir + ")", err);
        Path absolute = config("a.json", dir.resolve("nowhere.onnx").toString(), "tiny.model", "1");
        assertEquals("error: config " + absolute + ": /backbone/model: file not found: " + dir.resolve("nowhere.onnx"),
                refusedByBoth(absolute), "an absolute path needs no note");

        Files.createDirectories(dir.resolve("cmp"));
        Path compare = Files.writeString(dir.resolve("cmp/compare.json"), """
                {"name": "c", "output": "out", "runs": ["../runs/missing"]}""");
        Result v = cli("validate", compare.toString());
        assertEquals(Cli.BAD_INPUT, v.code());
        assertEquals("error: config " + compare + ": /runs/0: run folder not found: " + dir.resolve("runs/missing")
                + " (\"../runs/missing\" is relative to the config's folder " + dir.resolve("cmp") + ")", v.err());
        Files.writeString(compare, """
                {"name": "c", "output": "out", "base": "base.json", "variants": [{"label": "a"}]}""");
        v = cli("validate", compare.toString());
        assertEquals("error: config " + compare + ": /base: experiment config not found: " + dir.resolve("cmp/base.json")
                + " (\"base.json\" is relative to the config's folder " + dir.resolve("cmp") + ")", v.err());
    }

    private Path compareConfig(String variants, String runs) throws IOException {
        Files.writeString(dir.resolve("tiny.model"), "tiny world");
        Files.createDirectories(dir.resolve("cmp"));
        return Files.writeString(dir.resolve("cmp/compare.json"), """
                {"name": "c", "output": "out",
                 "base": {"name": "t", "seed": 1, "output": "ignored",
                          "backbone": {"type": "tiny-gan", "model": "../tiny.model"},
                          "recognizer": {"type": "tiny-face", "model": "../tiny.model"},
                          "probes": 40, "identities": 3, "samples_per_identity": 2},
                 "variants": %s, "runs": %s}""".formatted(variants, runs));
    }

    @Test
    void validateOnACompareConfigSaysSoAndChecksEveryVariantWritingNothing() throws IOException {
        Path compare = compareConfig("[{\"label\": \"ls\", \"fitter\": {\"type\": \"least-squares\"}}, "
                + "{\"label\": \"svm\", \"fitter\": {\"type\": \"svm\"}}]", "[]");
        Result ok = cli("validate", compare.toString());
        assertEquals(Cli.OK, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("compare config OK: " + compare + " (a comparison: 2 variants to run, 0 finished runs "
                + "to collect; run it with exfacegan compare)"), ok.out());
        assertTrue(ok.out().contains("  variant svm:\n    backbone:   tiny-gan"), ok.out());
        assertTrue(ok.out().contains("    output:     " + dir.resolve("cmp/out/runs/svm")), ok.out());
        assertFalse(Files.exists(dir.resolve("cmp/out")), "validate writes nothing, not even the comparison's folder");

        // a variant's mistake is found before anything runs, naming the variant and the field
        Path bad = compareConfig("[{\"label\": \"ls\"}, {\"label\": \"svm\", \"fitter\": {\"type\": \"svm\", \"c\": -1}}]", "[]");
        Result v = cli("validate", bad.toString());
        assertEquals(Cli.BAD_INPUT, v.code());
        assertEquals("error: compare config " + bad + ", variant \"svm\" (to be written as " + dir.resolve("cmp/out/configs/svm.json")
                + "): config " + dir.resolve("cmp/out/configs/svm.json") + ": /fitter/c: is -1.0, must be in (0, inf)", v.err());
        assertFalse(Files.exists(dir.resolve("cmp/out")));
    }

    @Test
    void anUnfinishedRunToCollectIsRefusedBeforeAnyVariantRuns() throws IOException {
        Path run = config("single.json", "tiny.model", "tiny.model", "1");
        assertEquals(Cli.OK, cli("run", run.toString()).code());
        Path runJson = dir.resolve("out").resolve(RunLayout.RUN_JSON);
        Files.writeString(runJson, Files.readString(runJson).replace("\"status\" : \"complete\"", "\"status\" : \"running\""));
        Path compare = compareConfig("[{\"label\": \"ls\"}]", "[\"../out\"]");
        String expected = "error: config " + compare + ": /runs/0: run " + dir.resolve("out") + " is not finished (run.json status "
                + "\"running\"): finish it with exfacegan run on its config first";
        Result v = cli("validate", compare.toString());
        assertEquals(expected, v.err());
        Result c = cli("compare", compare.toString());
        assertEquals(expected, c.err());
        assertFalse(Files.exists(dir.resolve("cmp/out/runs/ls")), "no variant ran");
    }
}
