package org.exfacegan.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.dataset.ImageFiles;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.verification.AccuracyFigures;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.runner.verification.BenchmarkSource;
import org.exfacegan.runner.verification.EvaluatedModel;
import org.exfacegan.runner.verification.Verification;
import org.exfacegan.runner.verification.VerificationResult;
import org.exfacegan.training.DemoData;
import org.exfacegan.training.config.TrainingConfigLoader;
import org.exfacegan.training.data.Batches;
import org.exfacegan.training.engine.TorchNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on the demo world (a reduced quickstart run): the trained network verifies identities it
 * never saw clearly better than the untrained one, on held-out identities of its dataset and on the
 * demo benchmark (fresh identities labelled by the demo world's ground truth), and its model.pt is a
 * recogniser the arcface plugin opens and embeds faces with, as the trainer itself embeds them.
 */
class TrainerTest {
    static final int HELD_OUT = 16;

    @TempDir
    static Path dir;
    static Path run;
    static Trainer.Result result;
    static long seconds;

    /**
     * The demo training config: a demo-sized iResNet-18 (x0.125, stem stride 2) with the default loss
     * (CosFace, s 64, m 0.35) that trains in about a minute on 2 loaded cores.
     */
    static String demoConfig(String output, Path data, String extra) {
        return "{\"name\": \"demo\", \"seed\": 7, \"output\": \"" + output + "\", \"data\": \"" + data + "\","
                + " \"network\": {\"type\": \"iresnet18\", \"width\": 0.125, \"embedding_size\": 128, \"stem_stride\": 2},"
                + " \"schedule\": {\"epochs\": 8, \"warmup_epochs\": 1, \"type\": \"cosine\"}, \"batch_size\": 32, \"augment\": {\"flip\": true},"
                + " \"holdout\": {\"identities\": " + HELD_OUT + ", \"pairs\": 1000}, \"threads\": 1" + extra + "}";
    }

    static final Path BENCHMARKS = DemoData.repositoryRoot().resolve("models/demo/benchmarks");

    /** The demo config evaluating the demo benchmark every epoch. */
    static String demoConfigWithBenchmark(String output, Path data) {
        return demoConfig(output, data, ", \"benchmarks\": [\"" + BENCHMARKS + "\"]");
    }

    @BeforeAll
    static void train() throws IOException {
        run = DemoData.shared();
        Path cfg = Files.writeString(dir.resolve("train.json"), demoConfigWithBenchmark("out", run));
        long t0 = System.nanoTime();
        result = new Trainer(TrainingConfigLoader.load(cfg), org.exfacegan.runner.progress.Progress.QUIET).run();
        seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    }

    @Test
    void trainedNetworkBeatsTheUntrainedOneOnHeldOutIdentities() {
        List<EpochRecord> curve = result.curve();
        assertEquals(9, curve.size());
        double untrained = curve.get(0).evaluation().get("holdout").accuracy();
        double trained = curve.get(8).evaluation().get("holdout").accuracy();
        for (EpochRecord r : curve) {
            assertEquals(List.of("holdout", "demo"), List.copyOf(r.evaluation().keySet()), "epoch " + r.epoch());
        }
        System.out.printf("demo training: %d s; held-out verification accuracy untrained %.4f -> trained %.4f; "
                        + "final loss %.3f (epoch 1: %.3f), training accuracy %.3f; %s%n", seconds, untrained, trained,
                curve.get(8).loss(), curve.get(1).loss(), curve.get(8).trainAccuracy(), result.evaluated());
        assertTrue(trained >= untrained + 0.08, "held-out accuracy " + untrained + " -> " + trained);
        assertTrue(trained >= 0.85, "held-out accuracy " + trained);
        assertTrue(curve.get(8).loss() < 0.6 * curve.get(1).loss(), "loss " + curve.get(1).loss() + " -> " + curve.get(8).loss());
        assertEquals(List.of("holdout: " + HELD_OUT + " held-out identities of the training data, 500 genuine + 500 impostor pairs",
                "demo: " + BENCHMARKS.resolve("demo.bin")), result.evaluated());
    }

    /**
     * The test of the demo loop: a net trained for about a minute on a demo dataset beats the
     * untrained network on the demo benchmark, whose identities no dataset holds, by a clear margin.
     */
    @Test
    void trainedNetworkBeatsTheUntrainedOneOnTheDemoBenchmark() {
        List<EpochRecord> curve = result.curve();
        double untrained = curve.get(0).evaluation().get("demo").accuracy();
        double trained = curve.get(curve.size() - 1).evaluation().get("demo").accuracy();
        System.out.printf("demo benchmark (10-fold accuracy): untrained %.4f -> trained %.4f; per epoch %s%n", untrained, trained,
                curve.stream().map(r -> String.format(java.util.Locale.ROOT, "%.3f", r.evaluation().get("demo").accuracy())).toList());
        assertTrue(trained >= untrained + 0.15, "demo benchmark accuracy " + untrained + " -> " + trained);
        assertTrue(trained >= 0.85, "demo benchmark accuracy " + trained);
        assertTrue(curve.get(curve.size() - 1).evaluation().get("demo").eer() < curve.get(0).evaluation().get("demo").eer() / 2);
    }

    /**
     * The figures of the last epoch are the ones {@code exfacegan evaluate} gives for model.pt: the same
     * protocol code, through the arcface plugin (djl-pytorch) instead of the trainer's own network.
     */
    @Test
    void theLastEpochsFiguresAreWhatEvaluateGivesForTheModel() {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // providers on the class path
        EvaluatedModel m = EvaluatedModel.resolve(registry, result.model().toString(), null, null);
        Benchmark demo = BenchmarkSource.find(BENCHMARKS).get(0).load(true);
        VerificationResult v;
        try (Recognizer rec = Pipeline.openRecognizer(m.recognizer(), Pipeline.modelHost(registry))) {
            v = Verification.run(rec, demo, Verification.Options.INSIGHTFACE, org.exfacegan.runner.progress.Progress.QUIET)
                    .verification();
        }
        AccuracyFigures last = result.curve().get(result.curve().size() - 1).evaluation().get("demo");
        // float rounding in another runtime may move a score across a threshold: at most one pair
        assertEquals(v.accuracyMean(), last.accuracy(), 1.0 / demo.pairs() + 1e-12);
        assertEquals(v.eer(), last.eer(), 1.0 / demo.genuinePairs() + 1e-12);
    }

    /** The iResNet's last BN scale is fixed at 1 (insightface) and stays so through training and saving. */
    @Test
    void theFixedScaleStaysFixed() {
        try (TorchNetwork net = TorchNetwork.load(result.model(), Device.cpu(), java.util.Set.of())) {
            int i = net.trainableNames().indexOf("features.weight");
            for (float v : net.trainable().get(i).toFloatArray()) {
                assertEquals(1f, v);
            }
            int bias = net.trainableNames().indexOf("features.bias");
            float[] b = net.trainable().get(bias).toFloatArray();
            assertFalse(java.util.Arrays.equals(b, new float[b.length]), "the shift trains");
        }
    }

    @Test
    void writesTheModelTheRecordTheChartAndDropsTheCheckpoints() throws IOException {
        Path out = result.output();
        JsonNode r = Json.MAPPER.readTree(Files.readString(out.resolve(Trainer.RESULT)));
        assertEquals("complete", r.get("status").asText());
        assertEquals(DemoData.IDENTITIES - HELD_OUT, r.at("/data/training_classes").asInt());
        assertEquals(HELD_OUT, r.at("/data/held_out_identities").size());
        assertEquals(9, r.get("curve").size());
        assertTrue(r.at("/curve/8/evaluation/demo/accuracy").asDouble() > 0.5, r.at("/curve/8").toString());
        assertTrue(r.at("/curve/0/evaluation/holdout/eer").isNumber(), r.at("/curve/0").toString());
        assertEquals("demo", r.at("/evaluation/1/name").asText());
        assertEquals(org.exfacegan.runner.io.Sha256.of(BENCHMARKS.resolve("demo.bin")), r.at("/evaluation/1/sha256").asText());
        assertEquals("holdout", r.at("/evaluation/0/name").asText());
        assertEquals("iresnet18", r.at("/config/network/type").asText());
        assertEquals(org.exfacegan.runner.io.Sha256.of(out.resolve(Trainer.MODEL)), r.at("/network/model_sha256").asText());
        byte[] png = Files.readAllBytes(out.resolve(Trainer.CHART));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(png.length > 10_000, "chart of " + png.length + " bytes");
        assertFalse(Files.exists(out.resolve("checkpoints")), "checkpoints are removed once the result is written");
        assertTrue(Files.exists(out.resolve(Trainer.INITIAL)));
    }

    @Test
    void theSameCommandAgainFindsTheFinishedTraining() throws IOException {
        Path cfg = dir.resolve("train.json");
        Trainer.Result again = new Trainer(TrainingConfigLoader.load(cfg), org.exfacegan.runner.progress.Progress.QUIET).run();
        assertTrue(again.already());
        assertEquals(result.curve(), again.curve());
    }

    /**
     * model.pt opened by the arcface plugin (djl-pytorch runtime, fixed landmarks) embeds the demo
     * GAN's full images as the trainer embeds their aligned crops, and tells the held-out
     * identities apart.
     */
    @Test
    void theArcfacePluginOpensTheModelAndEmbedsFaces() throws IOException {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // providers on the class path
        JsonNode record = Json.MAPPER.readTree(Files.readString(result.output().resolve(Trainer.RESULT)));
        List<String> heldOut = new ArrayList<>();
        record.at("/data/held_out_identities").forEach(n -> heldOut.add(n.asText()));
        List<float[]> plugin = new ArrayList<>();
        List<float[]> own = new ArrayList<>();
        List<String> identity = new ArrayList<>();
        try (Recognizer rec = Pipeline.openRecognizer(new ConfigLoader(registry).loadRecognizer(
                result.output().resolve(Trainer.RECOGNIZER)), Pipeline.modelHost(registry));
             TorchNetwork net = TorchNetwork.load(result.model(), Device.cpu(), java.util.Set.of())) {
            for (String id : heldOut.subList(0, 4)) {
                for (int k = 0; k < 4; k++) {
                    String name = String.format("%s/%04d.png", id, k);
                    Embeddings e = rec.embed(ImageFiles.read(run.resolve("images_full").resolve(name)));
                    assertFalse(e.isRejected(0));
                    plugin.add(e.vectors()[0]);
                    ImageBatch crop = ImageFiles.read(run.resolve("images").resolve(name));
                    float[] in = new float[3 * 112 * 112];
                    Batches.toInput(crop.rgb(), 0, in, 0);
                    own.add(unit(net.embed(in, 1)));
                    identity.add(id);
                }
            }
        }
        double genuine = 0;
        double impostor = 0;
        int g = 0;
        int i = 0;
        for (int a = 0; a < plugin.size(); a++) {
            assertEquals(1.0, dot(plugin.get(a), own.get(a)), 1e-4, "plugin vs trainer embedding of face " + a);
            for (int b = a + 1; b < plugin.size(); b++) {
                if (identity.get(a).equals(identity.get(b))) {
                    genuine += dot(plugin.get(a), plugin.get(b));
                    g++;
                } else {
                    impostor += dot(plugin.get(a), plugin.get(b));
                    i++;
                }
            }
        }
        System.out.printf("arcface plugin on model.pt: held-out genuine mean cosine %.3f, impostor %.3f%n", genuine / g, impostor / i);
        assertTrue(genuine / g > impostor / i + 0.2, genuine / g + " vs " + impostor / i);
    }

    @Test
    void theModelCarriesItsContractAndTheInitialNetworkIsOurs() throws IOException {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(result.model().toFile())) {
            java.util.zip.ZipEntry io = zip.stream().filter(e -> e.getName().endsWith("/extra/exfacegan.json")).findFirst().orElseThrow();
            JsonNode j = Json.MAPPER.readTree(zip.getInputStream(io));
            assertEquals("input", j.at("/inputs/0/name").asText());
            assertEquals("[-1,3,112,112]", j.at("/inputs/0/shape").toString());
            assertEquals("[-1,128]", j.at("/outputs/0/shape").toString());
        }
        byte[] initial = Files.readAllBytes(result.output().resolve(Trainer.INITIAL));
        byte[] rebuilt = org.exfacegan.training.net.Networks.archive(org.exfacegan.training.net.Networks.build(
                new org.exfacegan.training.config.TrainingConfig.Network("iresnet18", 0.125, 128, 0.0, 2), 7), 128);
        assertArrayEquals(rebuilt, initial);
    }

    static float[] unit(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] u = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            u[k] = (float) (v[k] / n);
        }
        return u;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * (double) b[k];
        }
        return s;
    }
}
