package org.exfacegan.training.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.training.DemoData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compare config's training section is checked by the training module when the comparison is
 * loaded, for every dataset, before any run: a wrong field is named by the compare config, the
 * dataset, the training config written for it and the field's JSON pointer.
 */
class CompareTrainingConfigTest {
    @TempDir
    Path dir;

    private CompareConfigLoader.Resolved load(String config) throws IOException {
        Path file = Files.writeString(dir.resolve("compare.json"), config);
        return new CompareConfigLoader(PluginRegistry.load(dir.resolve("none"))).load(file);
    }

    @Test
    void everyDatasetGetsATrainingConfigCheckedBeforeAnythingRuns() throws IOException {
        String config = CompareGeneralizationTest.compareConfig("out");
        CompareConfigLoader.Resolved r = load(config);
        assertEquals(2, r.generalization().jobs().size());
        assertEquals("demo", r.generalization().benchmarks().get(0).name());
        JsonNode c = Json.MAPPER.readTree(dir.resolve("out/configs/training/subspace.json").toFile());
        assertEquals("[\"" + CompareGeneralizationTest.BENCHMARKS + "\"]", c.get("benchmarks").toString());
        assertEquals(3, c.at("/schedule/epochs").asInt());
        assertFalse(Files.exists(dir.resolve("out/runs")), "loading runs nothing");

        String bad = config.replace("\"iresnet18\"", "\"iresnet19\"");
        String m = assertThrows(ConfigException.class, () -> load(bad)).getMessage();
        assertTrue(m.startsWith("compare config " + dir.resolve("compare.json") + ", training section for \"subspace\" (written as "
                + dir.resolve("out/configs/training/subspace.json") + "): "), m);
        assertTrue(m.contains("/network/type: unknown value \"iresnet19\""), m);

        String badBatch = config.replace("\"batch_size\": 16", "\"batch_size\": 1");
        assertTrue(assertThrows(ConfigException.class, () -> load(badBatch)).getMessage().contains("/batch_size: is 1"));
    }

    /** A comparison of finished runs only has no base experiment: its training section must name the seed. */
    @Test
    void withoutVariantsTheSeedMustBeGiven() throws IOException {
        Files.createDirectories(dir.resolve("finished"));
        // compare collects finished runs only; the record's status is all this check reads
        Files.writeString(dir.resolve("finished/run.json"), "{\"status\": \"complete\"}");
        String config = "{\"name\": \"runs only\", \"output\": \"out\", \"runs\": [\"finished\"], \"training\": {\"schedule\": "
                + "{\"epochs\": 1}}, \"benchmarks\": [\"" + CompareGeneralizationTest.BENCHMARKS + "\"]}";
        String m = assertThrows(ConfigException.class, () -> load(config)).getMessage();
        assertTrue(m.contains("/training/seed: missing: without variants there is no base experiment's seed"), m);
        CompareConfigLoader.Resolved r = load(config.replace("\"training\": {", "\"training\": {\"seed\": 3, "));
        assertEquals(dir.resolve("finished"), r.generalization().jobs().get(0).data());
    }

    /** The training section may be the path of a training config file: its name, output, data and benchmarks are replaced. */
    @Test
    void aTrainingConfigFileMayBeNamed() throws IOException {
        Path examples = DemoData.repositoryRoot().resolve("examples");
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.readTree(CompareGeneralizationTest.compareConfig("out"));
        config.put("training", examples.resolve("train-demo.json").toString());
        load(Json.pretty(config));
        JsonNode c = Json.MAPPER.readTree(dir.resolve("out/configs/training/directional.json").toFile());
        assertEquals(dir.resolve("out/runs/directional").toString(), c.get("data").asText());
        assertEquals("gen: directional", c.get("name").asText());
        assertEquals("iresnet18", c.at("/network/type").asText());
        assertEquals(42, c.get("seed").asLong(), "the file's own seed");
    }
}
