package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private Path config() throws IOException {
        Files.writeString(dir.resolve("tiny.model"), "tiny world");
        return Files.writeString(dir.resolve("c.json"), """
                {"name": "t", "seed": 1, "output": "out",
                 "backbone": {"type": "tiny-gan", "model": "tiny.model"},
                 "recognizer": {"type": "tiny-face", "model": "tiny.model"},
                 "probes": 10, "samples_per_identity": 2}
                """);
    }

    @Test
    void pluginsListsGoodAndBrokenPlugins() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3});
        assertEquals(0, run("plugins", "--plugins", plugins.toString()));
        String text = out.toString();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("test-gan") && l.contains("backbone") && l.endsWith("OK")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains(plugins.resolve("broken.jar").toString())
                && l.contains("ERROR: corrupt jar: not a readable zip file")), text);
        assertTrue(text.contains("(1 plugin, 1 failed)"), text);
    }

    @Test
    void pluginsFolderOptionAlsoWorksBeforeTheCommand() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("p2"));
        assertEquals(0, run("--plugins", plugins.toString(), "plugins"));
        assertTrue(out.toString().contains("plugins folder: " + plugins.toAbsolutePath()), out.toString());
    }

    @Test
    void validateAcceptsAGoodConfigAndRejectsABadOneWithExitCode2() throws IOException {
        Path c = config();
        assertEquals(0, run("validate", c.toString()));
        assertTrue(out.toString().startsWith("config OK: " + c), out.toString());
        Files.writeString(c, Files.readString(c).replace("\"seed\": 1", "\"seed\": \"x\""));
        assertEquals(2, run("validate", c.toString()));
        assertEquals("error: config " + c + ": /seed: wrong type: expected an integer", err.toString().strip());
    }

    @Test
    void validatePrintsTheResolvedConfigWithThePresetAndDefaultsApplied() throws IOException {
        Path c = config();
        Files.writeString(c, Files.readString(c).replace("\"probes\": 10,", "\"preset\": \"paper\", \"probes\": 10,"));
        assertEquals(0, run("validate", c.toString()), err.toString());
        String text = out.toString();
        String json = text.substring(text.indexOf("resolved config"));
        var tree = org.exfacegan.runner.io.Json.MAPPER.readTree(json.substring(json.indexOf('{')));
        assertEquals("paper", tree.path("fitter").path("type").asText());
        assertEquals("paper", tree.path("sampling").path("mode").asText());
        assertTrue(tree.path("sampling").path("both_sides").asBoolean());
        assertEquals(30.0, tree.path("sampling").path("max_dist").asDouble());
        assertEquals(10, tree.path("probes_used").asInt(), "capped at the probes given");
        assertEquals(2, tree.path("samples_per_identity").asInt(), "the explicit field wins over the preset's 50");
        // provider options as bound, defaults included (the preset's truncation: ConfigLoaderTest.paperPreset...)
        assertTrue(tree.path("recognizer").path("options").has("reject_all"), json);
    }

    @Test
    void runOnSparkWithoutTheSparkModuleSaysSoWithExitCode2AndWritesNothing() throws IOException {
        Path c = config();
        assertEquals(2, run("run", c.toString(), "--spark", "local[2]"));
        String e = err.toString().strip();
        assertTrue(e.startsWith("error: --spark: the spark module is not on the class path") && e.contains("Running on a cluster")
                && !e.contains("\tat "), e);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void usageErrorsExitWith2AndHelpWith0() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("a command is required"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("validate"));
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("Usage: exfacegan run"));
    }

    @Test
    void compareRefusesAnExperimentConfig() throws IOException {
        Path c = config(); // an experiment config, not a compare config: its fields are unknown to compare
        assertEquals(2, run("compare", c.toString()));
        assertTrue(err.toString().startsWith("error: config " + c + ": /"), err.toString());
        assertTrue(err.toString().contains("unknown field"), err.toString());
    }
}
