package org.exfacegan.training.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Training configs are bound strictly; every error names the field by its JSON pointer. */
class TrainingConfigLoaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        Files.createDirectories(dir.resolve("faces/a"));
    }

    private Path config(String extra) throws IOException {
        return Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", \"data\": \"faces\""
                + extra + "}");
    }

    private String error(String extra) throws IOException {
        Path file = config(extra);
        return assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(file)).getMessage();
    }

    @Test
    void defaultsAreThePapers() throws IOException {
        TrainingConfigLoader.Resolved r = TrainingConfigLoader.load(config(""));
        TrainingConfig c = r.config();
        assertEquals("iresnet50", c.network().type());
        assertEquals(512, c.network().embeddingSize());
        assertEquals("cosface", c.loss().type());
        assertEquals(64.0, c.loss().s());
        assertEquals(0.35, c.loss().m());
        assertEquals(0.5, TrainingConfigLoader.load(config(", \"loss\": {\"type\": \"arcface\"}")).config().loss().m());
        assertEquals(java.util.List.of(10, 15, 18), c.schedule().stepMilestones());
        assertEquals(dir.resolve("out"), r.output());
        assertEquals(dir.resolve("faces"), r.data());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ", \"netwrok\": {}| /netwrok: unknown field \"netwrok\"",
        ", \"network\": {\"typ\": \"x\"}| /network/typ: unknown field \"typ\" in /network",
        ", \"batch_size\": \"64\"| /batch_size: wrong type: expected an integer",
        ", \"batch_size\": 6.5| /batch_size: wrong type",
        ", \"network\": {\"type\": \"resnet\"}| /network/type: unknown value \"resnet\"; one of: iresnet18, iresnet34, iresnet50, mobilefacenet",
        ", \"network\": {\"width\": 0}| /network/width: is 0.0, must be in (0, 4]",
        ", \"network\": {\"embedding_size\": 1}| /network/embedding_size: is 1, must be in [2, 4096]",
        ", \"network\": {\"dropout\": 1.0}| /network/dropout: is 1.0, must be in [0, 1)",
        ", \"network\": {\"type\": \"mobilefacenet\", \"dropout\": 0.2}| /network/dropout: is 0.2, but mobilefacenet has no dropout layer",
        ", \"network\": {\"stem_stride\": 3}| /network/stem_stride: is 3, must be 1 or 2",
        ", \"network\": {\"type\": \"mobilefacenet\", \"stem_stride\": 2}| /network/stem_stride: applies to the iResNets",
        ", \"loss\": {\"type\": \"sphereface\"}| /loss/type: unknown value \"sphereface\"",
        ", \"loss\": {\"s\": 0}| /loss/s: is 0.0, must be in (0, 1024]",
        ", \"loss\": {\"m\": 1.5}| /loss/m: is 1.5, must be in [0, 1.0) for cosface",
        ", \"loss\": {\"type\": \"arcface\", \"m\": 2}| /loss/m: is 2.0, must be in [0, 1.5707964) for arcface",
        ", \"optimizer\": {\"lr\": -0.1}| /optimizer/lr: is -0.1, must be in (0, 100)",
        ", \"optimizer\": {\"momentum\": 1}| /optimizer/momentum: is 1.0, must be in [0, 1)",
        ", \"optimizer\": {\"weight_decay\": -1}| /optimizer/weight_decay: is -1.0",
        ", \"schedule\": {\"epochs\": 0}| /schedule/epochs: is 0, must be in [1, 100000]",
        ", \"schedule\": {\"type\": \"linear\"}| /schedule/type: unknown value \"linear\"; one of: step, cosine",
        ", \"schedule\": {\"epochs\": 4, \"warmup_epochs\": 5}| /schedule/warmup_epochs: is 5.0, must be in [0, epochs = 4]",
        ", \"schedule\": {\"epochs\": 10, \"milestones\": [4, 3]}| /schedule/milestones/1: is 3; milestones are increasing epochs in [1, 10]",
        ", \"schedule\": {\"epochs\": 10, \"milestones\": [11]}| /schedule/milestones/0: is 11",
        ", \"schedule\": {\"type\": \"cosine\", \"milestones\": [4]}| /schedule/milestones: only apply to the \"step\" schedule",
        ", \"schedule\": {\"gamma\": 0}| /schedule/gamma: is 0.0, must be in (0, 1]",
        ", \"batch_size\": 1| /batch_size: is 1, must be in [2, 4096]",
        ", \"augment\": {\"rand_augment\": {\"magnitude\": 31}}| /augment/rand_augment/magnitude: is 31, must be in [0, 30]",
        ", \"augment\": {\"rand_augment\": {\"ops\": -1}}| /augment/rand_augment/ops: is -1",
        ", \"holdout\": {\"identities\": 1}| /holdout/identities: is 1; impostor pairs need at least 2",
        ", \"holdout\": {\"identities\": -2}| /holdout/identities: is -2",
        ", \"holdout\": {\"pairs\": 1}| /holdout/pairs: is 1, must be in [20, 10000000]",
        ", \"benchmarks\": \"demo.bin\"| /benchmarks: wrong type",
        ", \"benchmarks\": [\"\"]| /benchmarks/0: must name a benchmark",
        ", \"benchmarks\": [\"nowhere.bin\"]| /benchmarks/0: benchmark ",
        ", \"device\": \"gpu\"| /device: device must be \"cpu\" or \"cuda:N\", got \"gpu\"",
        ", \"threads\": -1| /threads: threads must be >= 0",
        ", \"checkpoint_every\": 0| /checkpoint_every: is 0, must be in [1, 2147483647]",
    })
    void badFieldsAreNamedByPointer(String extra, String expected) throws IOException {
        String message = error(extra);
        assertTrue(message.contains(expected.strip()), message);
        assertTrue(message.startsWith("config " + dir.resolve("train.json")), message);
    }

    @Test
    void missingRequiredFieldsAndDataAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\"}");
        String m = assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(file)).getMessage();
        assertTrue(m.contains("/data: missing required field"), m);
        Path noSeed = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"output\": \"out\", \"data\": \"faces\"}");
        m = assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(noSeed)).getMessage();
        assertTrue(m.contains("/seed: missing required field"), m);
        Path nowhere = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", \"data\": \"nope\"}");
        m = assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(nowhere)).getMessage();
        assertTrue(m.contains("/data: not found: " + dir.resolve("nope")), m);
    }

    @Test
    void outputMayNotBeTheDataNorClimbOut() throws IOException {
        Path inData = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"faces\", \"data\": \"faces\"}");
        String m = assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(inData)).getMessage();
        assertTrue(m.contains("/output: is the training data's folder"), m);
        Path up = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"../x\", \"data\": \"faces\"}");
        m = assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(up)).getMessage();
        assertTrue(m.contains("/output: \"../x\" climbs out"), m);
    }

    /** Benchmarks: a .bin, a pairs folder or a folder of them, relative to the config; each found once, names unique. */
    @Test
    void benchmarksAreFoundRelativeToTheConfigAndNamedUniquely() throws IOException {
        Path demo = org.exfacegan.training.DemoData.repositoryRoot().resolve("models/demo/benchmarks");
        Files.createDirectories(dir.resolve("more"));
        Files.copy(demo.resolve("demo.bin"), dir.resolve("more/demo.bin"));
        Files.copy(demo.resolve("demo.bin"), dir.resolve("more/other.bin"));
        TrainingConfigLoader.Resolved r = TrainingConfigLoader.load(config(", \"benchmarks\": [\"more\"]"));
        assertEquals(java.util.List.of("demo", "other"), r.benchmarks().stream().map(b -> b.name()).toList());
        assertEquals(dir.resolve("more/demo.bin"), r.benchmarks().get(0).file());
        assertEquals(java.util.List.of(), TrainingConfigLoader.load(config("")).benchmarks());

        String twice = error(", \"benchmarks\": [\"more\", \"" + demo + "\"]");
        assertTrue(twice.contains("/benchmarks/1: benchmark " + demo.resolve("demo.bin") + " is named \"demo\" as one of "
                + "/benchmarks/0"), twice);
        Files.copy(demo.resolve("demo.bin"), dir.resolve("holdout.bin"));
        String reserved = error(", \"benchmarks\": [\"holdout.bin\"]");
        assertTrue(reserved.contains("/benchmarks/0: benchmark " + dir.resolve("holdout.bin") + " is named \"holdout\""), reserved);
        Files.writeString(dir.resolve("notes.md"), "no benchmark");
        String notOne = error(", \"benchmarks\": [\"notes.md\"]");
        assertTrue(notOne.contains("/benchmarks/0: benchmark " + dir.resolve("notes.md") + " is neither an insightface .bin"), notOne);
        String empty = error(", \"benchmarks\": [\"faces\"]");
        assertTrue(empty.contains("/benchmarks/0: benchmark folder " + dir.resolve("faces") + " holds no benchmark"), empty);
    }

    /** compare checks a training config before the run that makes its data: everything else is still checked. */
    @Test
    void dataMayBeMissingOnlyWhenAsked() throws IOException {
        Path file = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", "
                + "\"data\": \"later\"}");
        assertEquals(dir.resolve("later"), TrainingConfigLoader.load(file, false).data());
        assertTrue(assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(file)).getMessage().contains("/data: not found"));
        Path bad = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\", \"seed\": 1, \"output\": \"out\", "
                + "\"data\": \"later\", \"batch_size\": 1}");
        assertTrue(assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(bad, false)).getMessage()
                .contains("/batch_size: is 1"));
    }

    @Test
    void notJsonAndNotAnObjectAreClearErrors() throws IOException {
        Path bad = Files.writeString(dir.resolve("train.json"), "{\"name\": \"t\",");
        assertTrue(assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(bad)).getMessage().contains("not valid JSON"));
        Path list = Files.writeString(dir.resolve("train.json"), "[1, 2]");
        assertTrue(assertThrows(ConfigException.class, () -> TrainingConfigLoader.load(list)).getMessage()
                .contains("must be a JSON object"));
    }
}
