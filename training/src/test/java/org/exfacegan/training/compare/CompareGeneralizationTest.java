package org.exfacegan.training.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.runner.verification.InsightfaceBin;
import org.exfacegan.training.DemoData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} with a training section: one recogniser per dataset, trained with the same
 * settings and seed and evaluated on the demo benchmark every epoch; the table leads the console
 * output, compare.json and report.html; every per-dataset training config works with
 * {@code exfacegan train}; a compare killed (SIGKILL) during a training resumes it to the same figures.
 * Two small demo datasets differ only in the sampling mode: today's default (subspace) and the one
 * that was the default before it (directional).
 */
class CompareGeneralizationTest {
    static final Path BENCHMARKS = DemoData.repositoryRoot().resolve("models/demo/benchmarks");

    @TempDir
    static Path dir;
    static Path reference;
    static String referenceOut;

    /** A compare config: two small stylegan2 demo runs, a 3-epoch training of the demo net, the demo benchmark. */
    static String compareConfig(String output) {
        return compareConfig(output, BENCHMARKS);
    }

    /** The first 100 pairs of the demo benchmark, as bench/demo.bin: these tests check the wiring, not the figures. */
    static Path smallBenchmark(Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("bench")).resolve("demo.bin");
        Benchmark demo = InsightfaceBin.read(BENCHMARKS.resolve("demo.bin"));
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            images.add(((Benchmark.Encoded) demo.images().get(i)).bytes());
        }
        InsightfaceBin.write(out, images, java.util.Arrays.copyOf(demo.same(), 100));
        return out.getParent();
    }

    static String compareConfig(String output, Path benchmarks) {
        Path examples = DemoData.repositoryRoot().resolve("examples");
        return "{\"name\": \"gen\", \"output\": \"" + output + "\","
                + " \"base\": {\"name\": \"b\", \"seed\": 5, \"output\": \"x\","
                + "   \"backbone\": {\"type\": \"stylegan2\", \"model\": \"" + examples.resolve("../models/demo/stylegan2/model.json").normalize()
                + "\", \"batch_size\": 32, \"options\": {\"truncation_psi\": 0.7, \"truncation_cutoff\": 8}},"
                + "   \"recognizer\": {\"type\": \"arcface\", \"model\": \"" + examples.resolve("../models/demo/recognizer/demo_face.onnx").normalize()
                + "\", \"batch_size\": 64},"
                + "   \"probes\": 600, \"identities\": 30, \"samples_per_identity\": 8, \"dataset\": {\"contact_sheet\": 2}},"
                + " \"variants\": [{\"label\": \"subspace\"}, {\"label\": \"directional\", \"sampling\": {\"mode\": \"directional\"}}],"
                + " \"training\": {\"network\": {\"type\": \"iresnet18\", \"width\": 0.125, \"embedding_size\": 64, \"stem_stride\": 2},"
                + "   \"schedule\": {\"type\": \"cosine\", \"epochs\": 3, \"warmup_epochs\": 0.5}, \"batch_size\": 16,"
                + "   \"holdout\": {\"identities\": 6, \"pairs\": 200}, \"threads\": 1, \"checkpoint_every\": 2},"
                + " \"benchmarks\": [\"" + benchmarks + "\"]}";
    }

    static int cli(StringWriter out, StringWriter err, String... args) {
        return Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @BeforeAll
    static void compare() throws IOException {
        reference = Files.writeString(dir.resolve("compare.json"), compareConfig("ref", smallBenchmark(dir)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = cli(out, err, "-q", "compare", reference.toString(), "--plugins", dir.resolve("none").toString());
        referenceOut = out.toString();
        assertEquals(Cli.OK, code, err.toString());
    }

    @Test
    void theGeneralizationTableLeadsTheOutputTheJsonAndTheReport() throws IOException {
        System.out.println(referenceOut);
        int gen = referenceOut.indexOf("Generalization: verification accuracy (%) of a recogniser trained on each dataset");
        int side = referenceOut.indexOf("Dataset-side metrics (the labelling recogniser's view; not the verdict)");
        assertTrue(gen >= 0 && side > gen, referenceOut);
        assertTrue(referenceOut.contains("| recogniser trained on | demo | average | own held-out ids |"), referenceOut);
        assertTrue(referenceOut.contains("| untrained network |"), referenceOut);

        Path out = dir.resolve("ref");
        JsonNode g = Json.MAPPER.readTree(out.resolve("compare.json").toFile()).get("generalization");
        assertEquals("[\"demo\"]", g.get("benchmarks").toString());
        assertEquals(List.of("subspace", "directional"), labels(g));
        double untrained = g.at("/untrained/figures/demo/accuracy").asDouble();
        for (JsonNode row : g.get("rows")) {
            assertEquals(4, row.get("curve").size(), "epochs 0-3 of " + row.get("label"));
            // every dataset trains the same network from the same seed: its epoch 0 is the untrained row
            assertEquals(untrained, row.at("/curve/0/demo/accuracy").asDouble(), row.get("label").asText());
            assertEquals(row.at("/curve/3/demo/accuracy").asDouble(), row.at("/figures/demo/accuracy").asDouble());
            assertTrue(row.at("/figures/holdout/accuracy").isNumber());
            assertTrue(Files.isRegularFile(Path.of(row.get("training").asText()).resolve("model.pt")));
        }
        String markdownRow = "| subspace | " + String.format(java.util.Locale.ROOT, "%.2f", 100 * g.at("/rows/0/figures/demo/accuracy").asDouble());
        assertTrue(referenceOut.contains(markdownRow), markdownRow + " in\n" + referenceOut);

        String html = Files.readString(out.resolve("report.html"));
        int table = html.indexOf("<table id=\"generalization\">");
        int metrics = html.indexOf("<table id=\"metrics\">");
        assertTrue(table > 0 && metrics > table, "the generalization table comes first");
        assertTrue(html.indexOf("are not the verdict") < metrics && html.contains("are not the verdict"));
        assertTrue(html.indexOf("untrained network") > table);
        assertTrue(Files.size(out.resolve("charts/generalization.png")) > 5000);
        assertTrue(Files.size(out.resolve("charts/generalization-curve.png")) > 5000);
    }

    /** Each dataset's training config is an ordinary one: {@code exfacegan train} finds its finished training. */
    @Test
    void theWrittenTrainingConfigsWorkWithTrain() throws IOException {
        Path cfg = dir.resolve("ref/configs/training/directional.json");
        JsonNode c = Json.MAPPER.readTree(cfg.toFile());
        assertEquals("gen: directional", c.get("name").asText());
        assertEquals(5, c.get("seed").asLong(), "the base experiment's seed");
        assertEquals(dir.resolve("ref/runs/directional").toString(), c.get("data").asText());
        assertEquals(dir.resolve("ref/trainings/directional").toString(), c.get("output").asText());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Cli.OK, cli(out, err, "train", cfg.toString(), "--plugins", dir.resolve("none").toString()), err.toString());
        assertTrue(out.toString().contains("training already complete"), out.toString());
    }

    /**
     * A compare killed with SIGKILL while it trains (the first training finished, the second one
     * mid-way) resumes when run again: the trainings continue from their checkpoints and end with the
     * figures of the uninterrupted comparison. (It collects the reference comparison's finished runs,
     * so that only the trainings are repeated.)
     */
    @Test
    void aKilledCompareResumesItsTrainings() throws Exception {
        JsonNode ref = Json.MAPPER.readTree(reference.toFile());
        ObjectNode killed = Json.MAPPER.createObjectNode().put("name", "killed").put("output", "killed");
        killed.putArray("runs").add("ref/runs/subspace").add("ref/runs/directional");
        killed.set("training", ((ObjectNode) ref.get("training")).deepCopy().put("seed", 5));
        killed.set("benchmarks", ref.get("benchmarks"));
        Path cfg = Files.writeString(dir.resolve("killed.json"), Json.pretty(killed));
        Path checkpoints = dir.resolve("killed/trainings/directional/checkpoints");
        Process p = child(cfg, true, dir.resolve("killed-err.txt"));
        while (p.isAlive() && !hasCheckpoint(checkpoints)) {
            Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "the compare ended before its second training wrote a checkpoint: "
                + Files.readString(dir.resolve("killed-err.txt")));
        p.destroyForcibly().waitFor(60, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks, the lock files stay
        assertFalse(Files.exists(dir.resolve("killed/compare.json")));

        Path err = dir.resolve("resumed-err.txt");
        Process again = child(cfg, false, err); // progress as plain lines on stderr (a file)
        assertTrue(again.waitFor(600, TimeUnit.SECONDS), "the resumed compare did not finish");
        String log = Files.readString(err);
        assertEquals(0, again.exitValue(), log);
        assertTrue(log.contains("resuming from step-"), log);
        JsonNode resumed = Json.MAPPER.readTree(dir.resolve("killed/compare.json").toFile()).get("generalization");
        JsonNode uninterrupted = Json.MAPPER.readTree(dir.resolve("ref/compare.json").toFile()).get("generalization");
        assertEquals(uninterrupted.get("untrained"), resumed.get("untrained"));
        for (int i = 0; i < 2; i++) {
            assertEquals(uninterrupted.at("/rows/" + i + "/curve"), resumed.at("/rows/" + i + "/curve"), "row " + i);
        }
    }

    private Process child(Path cfg, boolean quiet, Path err) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "org.exfacegan.runner.Main"));
        if (quiet) {
            cmd.add("-q");
        }
        cmd.addAll(List.of("compare", cfg.toString(), "--plugins", dir.resolve("none").toString()));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    }

    private static boolean hasCheckpoint(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return false;
        }
        try (var s = Files.list(checkpoints)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("step-"));
        }
    }

    private static List<String> labels(JsonNode g) {
        List<String> out = new ArrayList<>();
        g.get("rows").forEach(r -> out.add(r.get("label").asText()));
        return out;
    }
}
