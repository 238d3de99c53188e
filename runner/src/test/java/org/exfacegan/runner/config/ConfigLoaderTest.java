package org.exfacegan.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.testing.TestGanProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private ConfigLoader loader;
    private Path file;

    static final String GOOD = """
            {
              "name": "t",
              "seed": 7,
              "output": "out",
              "backbone": {"type": "test-gan", "model": "m/gan.json", "batch_size": 4,
                           "options": {"truncation_psi": 0.7}},
              "recognizer": {"type": "test-face", "model": "face.onnx"},
              "probes": 100,
              "identities": 10,
              "samples_per_identity": 5
            }
            """;

    @BeforeEach
    void setUp() throws IOException {
        loader = new ConfigLoader(PluginRegistry.load(dir.resolve("no-plugins")));
        Files.writeString(Files.createDirectories(dir.resolve("m")).resolve("gan.json"), "{}"); // a descriptor: its folder is the model
        Files.writeString(dir.resolve("face.onnx"), "x");
        file = dir.resolve("config.json");
    }

    private String error(String json) throws IOException {
        Files.writeString(file, json);
        return assertThrows(ConfigException.class, () -> loader.load(file)).getMessage();
    }

    @Test
    void goodConfigResolvesPathsProvidersAndSettings() throws IOException {
        Files.writeString(file, GOOD);
        ResolvedConfig rc = loader.load(file);
        assertEquals(dir.resolve("out"), rc.output());
        assertEquals(dir.resolve("m/gan.json"), rc.backbone().model());
        assertEquals("test-gan", rc.backbone().provider().name());
        assertEquals(4, rc.backbone().options().batchSize());
        assertEquals("cpu", rc.backbone().options().device());
        TestGanProvider.Settings s = (TestGanProvider.Settings) rc.backbone().settings();
        assertEquals(0.7, s.truncationPsi());
        assertEquals(8, s.truncationCutoff()); // default applied
        assertEquals(null, rc.recognizer().settings());
    }

    @Test
    void unknownField() throws IOException {
        assertEquals("config " + file + ": /backbone/batchsize: unknown field \"batchsize\" in /backbone; known fields: "
                        + "batch_size, device, model, options, runtime, threads, type",
                error(GOOD.replace("\"batch_size\": 4", "\"batchsize\": 4")));
    }

    @Test
    void unknownTopLevelField() throws IOException {
        assertEquals("config " + file + ": /colour: unknown field \"colour\"; known fields: backbone, dataset, fitter, "
                        + "identities, labels, name, output, preset, probes, probes_used, recognizer, samples_per_identity, sampling, "
                        + "seed, uniqueness",
                error(GOOD.replace("\"seed\": 7", "\"seed\": 7, \"colour\": 1")));
    }

    @Test
    void missingRequiredField() throws IOException {
        assertEquals("config " + file + ": /seed: missing required field", error(GOOD.replace("\"seed\": 7,", "")));
        assertEquals("config " + file + ": /backbone/model: missing required field",
                error(GOOD.replace("\"model\": \"m/gan.json\", ", "")));
    }

    @Test
    void wrongType() throws IOException {
        assertEquals("config " + file + ": /seed: wrong type: expected an integer",
                error(GOOD.replace("\"seed\": 7", "\"seed\": \"seven\"")));
        assertEquals("config " + file + ": /probes: wrong type: expected an integer, got 1.5",
                error(GOOD.replace("\"probes\": 100", "\"probes\": 1.5")));
        assertEquals("config " + file + ": /backbone: wrong type: expected an object",
                error(GOOD.replace("\"backbone\": {", "\"backbone\": [{").replace("0.7}},", "0.7}}],")));
    }

    @Test
    void unknownProviderListsAvailableNames() throws IOException {
        assertEquals("config " + file + ": /backbone/type: unknown backbone \"stylegan9\"; available: entangled-gan, test-gan, tiny-gan",
                error(GOOD.replace("\"test-gan\"", "\"stylegan9\"")));
        assertEquals("config " + file + ": /recognizer/type: unknown recognizer \"facenet\"; available: entangled-face, test-face, tiny-face",
                error(GOOD.replace("\"test-face\"", "\"facenet\"")));
    }

    @Test
    void providerOptionsAreCheckedWithTheirPointer() throws IOException {
        assertEquals("config " + file + ": /backbone/options/truncation_psi: missing required field",
                error(GOOD.replace("{\"truncation_psi\": 0.7}", "{}")));
        assertEquals("config " + file + ": /backbone/options/psi: unknown field \"psi\" in /backbone/options; "
                        + "known fields: truncation_cutoff, truncation_psi",
                error(GOOD.replace("\"truncation_psi\": 0.7", "\"psi\": 0.7")));
        assertEquals("config " + file + ": /backbone/options: truncation_psi must be in [0, 1], got 1.5",
                error(GOOD.replace("\"truncation_psi\": 0.7", "\"truncation_psi\": 1.5")));
        assertEquals("config " + file + ": /recognizer/options: recognizer \"test-face\" takes no options",
                error(GOOD.replace("\"model\": \"face.onnx\"", "\"model\": \"face.onnx\", \"options\": {\"x\": 1}")));
    }

    @Test
    void badValues() throws IOException {
        assertEquals("config " + file + ": /backbone/model: file not found: " + dir.resolve("m/nope.json"),
                error(GOOD.replace("gan.json", "nope.json")));
        assertEquals("config " + file + ": /backbone/device: device must be \"cpu\" or \"cuda:N\", got \"gpu\"",
                error(GOOD.replace("\"batch_size\": 4", "\"batch_size\": 4, \"device\": \"gpu\"")));
        assertEquals("config " + file + ": /backbone/batch_size: batch size must be >= 1, got 0",
                error(GOOD.replace("\"batch_size\": 4", "\"batch_size\": 0")));
        assertEquals("config " + file + ": /identities: is 500 but only 100 probes are drawn (identities are chosen among the probes)",
                error(GOOD.replace("\"identities\": 10", "\"identities\": 500")));
        assertEquals("config " + file + ": /probes: must be >= 1, got 0", error(GOOD.replace("\"probes\": 100", "\"probes\": 0")));
        assertEquals("config " + file + ": /backbone/runtime: unknown runtime \"tensorrt\"; available: "
                        + String.join(", ", PluginRegistry.load(dir).names(org.exfacegan.api.ProviderKind.RUNTIME)).replaceAll("^$", "none (is the plugins folder right?)"),
                error(GOOD.replace("\"batch_size\": 4", "\"batch_size\": 4, \"runtime\": \"tensorrt\"")));
    }

    @Test
    void pipelineSections() throws IOException {
        assertEquals("config " + file + ": /fitter/type: unknown value \"lasso\"; one of: least-squares, svm, paper",
                error(GOOD.replace("\"probes\": 100", "\"probes\": 100, \"fitter\": {\"type\": \"lasso\"}")));
        assertEquals("config " + file + ": /labels/train_fraction: is 1.0, must be in (0.0, 1.0)",
                error(GOOD.replace("\"probes\": 100", "\"probes\": 100, \"labels\": {\"train_fraction\": 1.0}")));
        assertEquals("config " + file + ": /labels/threshold: is required when rule is \"threshold\"",
                error(GOOD.replace("\"probes\": 100", "\"probes\": 100, \"labels\": {\"rule\": \"threshold\"}")));
        assertEquals("config " + file + ": /sampling/max_dst: unknown field \"max_dst\" in /sampling; known fields: both_sides, "
                        + "distance_max, distance_min, drop_out_of_distribution, max_dist, max_dist_unit, max_similarity, "
                        + "min_similarity, mode, rank, sigma, step, variation",
                error(GOOD.replace("\"probes\": 100", "\"probes\": 100, \"sampling\": {\"max_dst\": 3}")));
    }

    private String withSections(String sections) {
        return GOOD.replace("\"probes\": 100", "\"probes\": 100, " + sections);
    }

    @Test
    void settingsOfAnotherModeRuleOrFitterAreErrorsNotIgnored() throws IOException {
        assertEquals("config " + file + ": /sampling/both_sides: does not apply to mode \"directional\" (it is a setting of mode "
                        + "\"paper\"); remove it or change /sampling/mode",
                error(withSections("\"sampling\": {\"mode\": \"directional\", \"both_sides\": true}")));
        assertEquals("config " + file + ": /sampling/max_dist: does not apply to mode \"subspace\" (it is a setting of mode "
                        + "\"paper\"); remove it or change /sampling/mode",
                error(withSections("\"sampling\": {\"max_dist\": 3}")));
        assertEquals("config " + file + ": /sampling/rank: does not apply to mode \"paper\" (it is a setting of mode "
                        + "\"subspace\"); remove it or change /sampling/mode",
                error(withSections("\"sampling\": {\"mode\": \"paper\", \"rank\": 3}")));
        assertEquals("config " + file + ": /sampling/sigma: does not apply to mode \"subspace\" (it is a setting of mode "
                        + "\"directional\"); remove it or change /sampling/mode",
                error(withSections("\"sampling\": {\"mode\": \"subspace\", \"sigma\": 0.5}")));
        assertEquals("config " + file + ": /labels/ratio: does not apply to rule \"median\" (it is a setting of rule \"ratio\"); "
                        + "remove it or change /labels/rule",
                error(withSections("\"labels\": {\"ratio\": 0.2}")));
        assertEquals("config " + file + ": /labels/threshold: does not apply to rule \"ratio\" (it is a setting of rule "
                        + "\"threshold\"); remove it or change /labels/rule",
                error(withSections("\"labels\": {\"rule\": \"ratio\", \"threshold\": 0.4}")));
        assertEquals("config " + file + ": /fitter/ridge: does not apply to fitter \"svm\" (it is a setting of \"least-squares\"); "
                        + "remove it or change /fitter/type",
                error(withSections("\"fitter\": {\"type\": \"svm\", \"ridge\": 0.1}")));
        assertEquals("config " + file + ": /sampling/max_dist_unit: unknown value \"pixels\"; one of: raw, spread",
                error(withSections("\"sampling\": {\"mode\": \"paper\", \"max_dist_unit\": \"pixels\"}")));
        assertEquals("config " + file + ": /sampling/rank: must be >= 1 (and below the latent dimension), got 0",
                error(withSections("\"sampling\": {\"rank\": 0}")));
        assertEquals("config " + file + ": /sampling/variation: is -1.0, must be in [0.0, inf)",
                error(withSections("\"sampling\": {\"variation\": -1}")));
        assertEquals("config " + file + ": /sampling/mode: unknown value \"gaussian\"; one of: subspace, directional, paper",
                error(withSections("\"sampling\": {\"mode\": \"gaussian\"}")));
        // each mode's own settings, explicit nulls, and settings every mode reads are fine
        for (String ok : java.util.List.of("\"sampling\": {\"mode\": \"paper\", \"both_sides\": true, \"max_dist\": 2, "
                        + "\"max_dist_unit\": \"spread\", \"min_similarity\": 0.1, \"drop_out_of_distribution\": true}",
                "\"sampling\": {\"mode\": \"directional\", \"sigma\": 0.3, \"max_dist\": null}",
                "\"sampling\": {\"rank\": 4, \"step\": 0.5, \"variation\": 1.1}",
                "\"labels\": {\"rule\": \"ratio\", \"ratio\": 0.2}, \"fitter\": {\"type\": \"svm\", \"c\": 2}")) {
            Files.writeString(file, withSections(ok));
            loader.load(file);
        }
        Files.writeString(file, GOOD);
        ExperimentConfig defaults = loader.load(file).config();
        assertEquals("subspace", defaults.sampling().mode());
        assertEquals(null, defaults.sampling().maxDist(), "another mode's setting stays unset");
        assertEquals(null, defaults.labels().ratio());
        assertEquals(0.5, defaults.fitter().ridge());
    }

    @Test
    void paperPresetFillsTheRecipeAndExplicitFieldsWin() throws IOException {
        String preset = GOOD.replace("\"probes\": 100,", "\"preset\": \"paper\",").replace("\"identities\": 10,", "")
                .replace("\"samples_per_identity\": 5", "\"dataset\": {\"contact_sheet\": 0}")
                .replace("\"options\": {\"truncation_psi\": 0.7}", "\"options\": {}");
        Files.writeString(file, preset);
        ResolvedConfig rc = loader.load(file);
        ExperimentConfig c = rc.config();
        assertEquals("paper", c.preset());
        assertEquals(11000, c.probes());
        assertEquals(5000, c.probesUsed());
        assertEquals(5000, c.identities());
        assertEquals(50, c.samplesPerIdentity());
        assertEquals("paper", c.fitter().type());
        assertEquals(null, c.fitter().ridge());
        assertEquals("median", c.labels().rule());
        assertEquals(true, c.labels().balanced());
        assertEquals(0.7, c.labels().trainFraction());
        assertEquals("paper", c.sampling().mode());
        assertEquals(30.0, c.sampling().maxDist());
        assertEquals("raw", c.sampling().maxDistUnit());
        assertEquals(true, c.sampling().bothSides());
        TestGanProvider.Settings s = (TestGanProvider.Settings) rc.backbone().settings();
        assertEquals(0.7, s.truncationPsi());
        assertEquals(8, s.truncationCutoff());

        // explicit fields win, field by field, inside sections too
        Files.writeString(file, preset.replace("\"preset\": \"paper\",", "\"preset\": \"paper\", \"probes\": 300, \"probes_used\": 200, "
                + "\"identities\": 20, \"sampling\": {\"max_dist\": 3, \"both_sides\": false},")
                .replace("\"options\": {}", "\"options\": {\"truncation_psi\": 0.5}"));
        rc = loader.load(file);
        c = rc.config();
        assertEquals(300, c.probes());
        assertEquals(200, c.probesUsed());
        assertEquals(20, c.identities());
        assertEquals(3.0, c.sampling().maxDist());
        assertEquals(false, c.sampling().bothSides());
        assertEquals("paper", c.sampling().mode());
        assertEquals(0.5, ((TestGanProvider.Settings) rc.backbone().settings()).truncationPsi());

        // fewer probes given: the preset's counts shrink to fit them
        Files.writeString(file, preset.replace("\"preset\": \"paper\",", "\"preset\": \"paper\", \"probes\": 300,"));
        c = loader.load(file).config();
        assertEquals(300, c.probes());
        assertEquals(300, c.probesUsed());
        assertEquals(300, c.identities());

        // another mode or fitter: the preset's settings of its own choice are not carried over (they would not apply)
        Files.writeString(file, preset.replace("\"preset\": \"paper\",", "\"preset\": \"paper\", "
                + "\"sampling\": {\"mode\": \"subspace\"}, \"fitter\": {\"type\": \"least-squares\"},"));
        c = loader.load(file).config();
        assertEquals("subspace", c.sampling().mode());
        assertEquals(null, c.sampling().bothSides());
        assertEquals("least-squares", c.fitter().type());
        assertEquals(0.5, c.fitter().ridge());

        // a backbone without truncation options gets none (they would be unknown fields)
        Files.writeString(file, preset.replace("\"test-gan\"", "\"tiny-gan\"").replaceAll(",\\s*\"options\": \\{\\}", ""));
        assertEquals(null, loader.load(file).backbone().settings());

        assertEquals("config " + file + ": /preset: unknown preset \"iccv\"; one of: paper",
                error(GOOD.replace("\"probes\": 100", "\"preset\": \"iccv\", \"probes\": 100")));
        assertEquals("config " + file + ": /preset: unknown preset 3; one of: paper",
                error(GOOD.replace("\"probes\": 100", "\"preset\": 3, \"probes\": 100")));
        assertEquals("config " + file + ": /identities: is 50 but only 40 probes are used (identities are chosen among the probes)",
                error(GOOD.replace("\"identities\": 10", "\"identities\": 50, \"probes_used\": 40")));
        assertEquals("config " + file + ": /probes_used: is 400 but only 100 probes are drawn",
                error(GOOD.replace("\"identities\": 10", "\"identities\": 10, \"probes_used\": 400")));
    }

    @Test
    void syntaxErrorsAndMissingFile() throws IOException {
        assertEquals("config " + file + ": not valid JSON at line 3, column 11: Unexpected character (',' (code 44)): "
                        + "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", error("{\n  \"name\": \"t\",\n  \"seed\": ,\n}"));
        assertEquals("config " + dir.resolve("absent.json") + ": file not found",
                assertThrows(ConfigException.class, () -> loader.load(dir.resolve("absent.json"))).getMessage());
    }

    @Test
    void hostileValuesFoundByFuzzingGiveFieldErrors() throws IOException {
        assertEquals("config " + file + ": /: must be a JSON object, got an empty file", error(""));
        assertEquals("config " + file + ": /: must be a JSON object, got array", error("[1]"));
        assertEquals("config " + file + ": /probes: missing required field (null given)",
                error(GOOD.replace("\"probes\": 100", "\"probes\": null")));
        assertEquals("config " + file + ": /probes: wrong type: expected an integer, got \"\"",
                error(GOOD.replace("\"probes\": 100", "\"probes\": \"\"")));
        assertEquals("config " + file + ": /backbone/model: \"m/a\\0b\" is not a valid path (Nul character not allowed)",
                error(GOOD.replace("gan.json", "a\\u0000b")));
        for (String section : java.util.List.of("{\"recognizer\": null}", "{\"recognizer\": 3}", "null", "")) {
            Files.writeString(file, section);
            ConfigException e = assertThrows(ConfigException.class, () -> loader.loadRecognizer(file), section);
            assertEquals(true, e.getMessage().startsWith("config " + file + ": "), e.getMessage());
        }
    }

    @Test
    void outputStaysInsideTheConfigFolderUnlessAbsolute() throws IOException {
        assertEquals("config " + file + ": /output: \"../elsewhere\" climbs out with \"..\"; outputs stay inside the config's "
                        + "folder " + dir + " (write an absolute path without \"..\" to put it elsewhere)",
                error(GOOD.replace("\"out\"", "\"../elsewhere\"")));
        assertEquals("config " + file + ": /output: \"runs/../../x\" climbs out with \"..\"; outputs stay inside the config's "
                        + "folder " + dir + " (write an absolute path without \"..\" to put it elsewhere)",
                error(GOOD.replace("\"out\"", "\"runs/../../x\"")));
        assertEquals("config " + file + ": /output: \"/tmp/../etc\" climbs out with \"..\"; outputs stay inside the config's "
                        + "folder " + dir + " (write an absolute path without \"..\" to put it elsewhere)",
                error(GOOD.replace("\"out\"", "\"/tmp/../etc\"")));
        assertEquals("config " + file + ": /output: \".\" is the config's own folder; name a sub-folder for the run",
                error(GOOD.replace("\"out\"", "\".\"")));
        Path elsewhere = dir.resolve("abs-out").toAbsolutePath();
        Files.writeString(file, GOOD.replace("\"out\"", "\"" + elsewhere + "\""));
        assertEquals(elsewhere, loader.load(file).output());
        Files.writeString(file, GOOD.replace("\"out\"", "\"runs/./a\""));
        assertEquals(dir.resolve("runs/a"), loader.load(file).output());
    }

    // issue 13, item 8: gaps found by trying hostile configs

    @Test
    void duplicateFieldsAreRefusedNamingTheField() throws IOException {
        assertEquals("config " + file + ": /seed: given twice (the second time at line 3, column 20); a field may appear once in "
                + "an object", error(GOOD.replace("\"seed\": 7,", "\"seed\": 7, \"seed\": 8,")));
        assertEquals("config " + file + ": /backbone/batch_size: given twice (the second time at line 5, column 88); a field may "
                + "appear once in an object", error(GOOD.replace("\"batch_size\": 4,", "\"batch_size\": 4, \"batch_size\": 64,")));
    }

    @Test
    void theFieldGivenIsBlamedNotADerivedOne() throws IOException {
        String fitter = GOOD.replace("\"probes\": 100", "\"probes\": 100, \"fitter\": %s");
        assertEquals("config " + file + ": /fitter/c: is 0.0, must be in (0, inf)",
                error(fitter.formatted("{\"type\": \"svm\", \"c\": 0}")));
        assertEquals("config " + file + ": /fitter/c: is 1.0E-320: the ridge derived from it, 1/(2c), is not finite; give a "
                + "larger c, or a ridge", error(fitter.formatted("{\"type\": \"least-squares\", \"c\": 1e-320}")));
        assertEquals("config " + file + ": /fitter/ridge: is -1.0, must be in [0, inf)",
                error(fitter.formatted("{\"ridge\": -1}")));
    }

    @Test
    void crossFieldRulesAreCheckedBeforeAnythingRuns() throws IOException {
        String sampling = GOOD.replace("\"probes\": 100", "\"probes\": 100, \"sampling\": %s");
        assertEquals("config " + file + ": /sampling/min_similarity: is 0.9, above max_similarity 0.5: no sample could pass both",
                error(sampling.formatted("{\"min_similarity\": 0.9, \"max_similarity\": 0.5}")));
        assertEquals("config " + file + ": /sampling/max_similarity: is 1.5, must be a cosine in [-1, 1]",
                error(sampling.formatted("{\"max_similarity\": 1.5}")));
        assertEquals("config " + file + ": /labels/threshold: is 2.0, must be a cosine in [-1, 1]",
                error(GOOD.replace("\"probes\": 100", "\"probes\": 100, \"labels\": {\"rule\": \"threshold\", \"threshold\": 2}")));
        assertEquals("config " + file + ": /sampling/distance_min: distance_min 3.0 exceeds distance_max 2.0",
                error(sampling.formatted("{\"mode\": \"directional\", \"distance_min\": 3}")));
    }

    @Test
    void aRelativeOutputThroughASymbolicLinkMayNotLeaveTheConfigFolder() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-elsewhere"));
        try {
            Files.createSymbolicLink(dir.resolve("link"), elsewhere);
            assertEquals("config " + file + ": /output: \"link/run\" leads through a symbolic link to " + elsewhere.resolve("run")
                    + ", not inside the config's folder " + dir.toRealPath() + " (write an absolute path to put the run elsewhere)",
                    error(GOOD.replace("\"out\"", "\"link/run\"")));
            Files.createDirectories(dir.resolve("inside"));
            Files.createSymbolicLink(dir.resolve("link2"), dir.resolve("inside"));
            Files.writeString(file, GOOD.replace("\"out\"", "\"link2/run\""));
            assertEquals(dir.resolve("link2/run"), loader.load(file).output(), "a link that stays inside is fine");
        } finally {
            Files.deleteIfExists(elsewhere);
        }
    }

    @Test
    void configsNotInUtf8AreNamedAsSuch() throws IOException {
        String prefix = "config " + file + ": not UTF-8 JSON: ";
        Files.write(file, GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_16));
        assertEquals(prefix + "it starts with a UTF-16 byte order mark (UTF-16 text); save the config as UTF-8",
                assertThrows(ConfigException.class, () -> loader.load(file)).getMessage());
        Files.write(file, GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        assertEquals(prefix + "byte 1 is NUL (UTF-16 text, or a binary file?); save the config as UTF-8",
                assertThrows(ConfigException.class, () -> loader.load(file)).getMessage());
        Files.write(file, GOOD.replace("\"t\"", "\"caf\u00e9\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(prefix + "byte 16 (0xE9) is not valid UTF-8 (Latin-1 or another 8-bit encoding, or a binary file?); save "
                + "the config as UTF-8", assertThrows(ConfigException.class, () -> loader.load(file)).getMessage());
        byte[] utf8Bom = ("\uFEFF" + GOOD).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(file, utf8Bom);
        assertEquals("test-gan", loader.load(file).backbone().provider().name(), "UTF-8 with a byte order mark is fine");
    }

    // issue 13, item 7: only regular files of bounded size are inputs

    @Test
    void devicesPipesAndFoldersAreRefusedAsModels() throws Exception {
        assertEquals("config " + file + ": /recognizer/model: /dev/zero is not a regular file but a device, pipe or socket; give "
                + "the path of a file", error(GOOD.replace("\"face.onnx\"", "\"/dev/zero\"")));
        Files.createSymbolicLink(dir.resolve("zero.onnx"), Path.of("/dev/zero"));
        assertEquals("config " + file + ": /recognizer/model: " + dir.resolve("zero.onnx") + " is not a regular file but a device, "
                + "pipe or socket; give the path of a file", error(GOOD.replace("\"face.onnx\"", "\"zero.onnx\"")));
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo.onnx").toString()).start();
        if (mkfifo.waitFor() == 0) {
            assertEquals("config " + file + ": /recognizer/model: " + dir.resolve("fifo.onnx") + " is not a regular file but a "
                    + "device, pipe or socket; give the path of a file", error(GOOD.replace("\"face.onnx\"", "\"fifo.onnx\"")));
        }
        Files.createDirectories(dir.resolve("folder.onnx"));
        assertEquals("config " + file + ": /recognizer/model: " + dir.resolve("folder.onnx") + " is not a regular file but a folder; "
                + "give the path of a file", error(GOOD.replace("\"face.onnx\"", "\"folder.onnx\"")));
        // a descriptor over its limit: a sparse file, nothing is read
        try (var f = new java.io.RandomAccessFile(dir.resolve("m/huge.json").toFile(), "rw")) {
            f.setLength((64L << 20) + 1);
        }
        assertEquals("config " + file + ": /backbone/model: " + dir.resolve("m/huge.json") + " is " + ((64L << 20) + 1)
                + " bytes, over the limit of " + (64L << 20) + " for this input", error(GOOD.replace("m/gan.json", "m/huge.json")));
        Files.writeString(file, GOOD.replace("\"face.onnx\"", "\"/dev/zero\""));
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, org.exfacegan.runner.cli.Cli.execute(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), "validate", file.toString(), "--plugins", dir.resolve("none").toString()));
    }

    // issue 13, item 6: the output folder stays apart from the models

    @Test
    void outputEqualToInsideOrHoldingAModelFolderIsRefused() throws IOException {
        assertEquals("config " + file + ": /output: the output folder " + dir.resolve("m") + " is the folder of the model "
                + dir.resolve("m/gan.json") + ", whose files are all part of the model; choose an output folder outside it",
                error(GOOD.replace("\"out\"", "\"m\"")));
        assertEquals("config " + file + ": /output: the output folder " + dir.resolve("m/run") + " is inside the folder of the model "
                + dir.resolve("m/gan.json") + ", whose files are all part of the model; choose an output folder outside it",
                error(GOOD.replace("\"out\"", "\"m/run\"")));
        Files.createDirectories(dir.resolve("runs/models"));
        Files.writeString(dir.resolve("runs/models/face.onnx"), "x");
        assertEquals("config " + file + ": /output: the output folder " + dir.resolve("runs") + " holds the model "
                + dir.resolve("runs/models/face.onnx") + "; a run's folder holds only what the run writes: choose another output folder",
                error(GOOD.replace("\"out\"", "\"runs\"").replace("\"face.onnx\"", "\"runs/models/face.onnx\"")));
    }
}
