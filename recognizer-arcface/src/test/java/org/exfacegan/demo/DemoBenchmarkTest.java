package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.runner.verification.InsightfaceBin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed demo benchmark (models/demo/benchmarks/demo.bin): it is what {@link DemoBenchmark}
 * draws from the demo world's ground truth, and {@code exfacegan evaluate} on it tells the demo
 * recogniser clearly apart from a network that has learned nothing.
 */
class DemoBenchmarkTest {
    private static final Path BIN = DemoModels.dir().resolve("benchmarks").resolve(DemoBenchmark.FILE);

    @TempDir
    Path dir;

    /** Labels from the ground truth; images the generator's crops (JPEG-compressed; ONNX Runtime may round differently elsewhere). */
    @Test
    void committedFileIsWhatTheGeneratorDraws() throws IOException {
        Benchmark b = InsightfaceBin.read(BIN);
        List<DemoBenchmark.Pair> pairs = DemoBenchmark.pairs();
        assertEquals(DemoBenchmark.PAIRS, b.pairs());
        boolean[] same = new boolean[pairs.size()];
        int hard = 0;
        for (int k = 0; k < pairs.size(); k++) {
            DemoBenchmark.Pair p = pairs.get(k);
            same[k] = p.same();
            // the label is the truth: identity factors equal exactly when same, nuisance never equal when same
            boolean identityEqual = true;
            boolean nuisanceEqual = true;
            for (int f = 0; f < DemoFace.K; f++) {
                boolean eq = p.a()[f] == p.b()[f];
                identityEqual &= f >= DemoFace.ID || eq;
                nuisanceEqual &= f < DemoFace.ID || eq;
            }
            assertEquals(p.same(), identityEqual, "pair " + k);
            hard += !p.same() && nuisanceEqual ? 1 : 0;
            assertTrue(!p.same() || !nuisanceEqual, "pair " + k);
        }
        assertArrayEquals(same, b.same());
        assertEquals(DemoBenchmark.PAIRS / 4, hard, "every second impostor pair keeps the photo conditions");
        // images: the first 40 re-rendered here match the committed JPEGs up to JPEG's loss
        List<ImageBatch> fresh = DemoBenchmark.crops(DefaultModelHost.fromServiceLoader(), dir, pairs.subList(0, 20));
        double worst = 0;
        for (int i = 0; i < fresh.size(); i++) {
            ImageBatch committed = b.images().get(i).read();
            assertEquals(112, committed.width());
            assertEquals(112, committed.height());
            ImageBatch again = ((Benchmark.Encoded) InsightfaceBin.read(write(fresh.get(i))).images().get(0)).read();
            double diff = 0;
            for (int j = 0; j < committed.rgb().length; j++) {
                diff = Math.max(diff, Math.abs((committed.rgb()[j] & 0xff) - (again.rgb()[j] & 0xff)));
            }
            worst = Math.max(worst, diff);
        }
        assertTrue(worst <= 3, "committed crops differ from freshly drawn ones by up to " + worst + " levels: regenerate "
                + "(docs/evaluation.md)");
    }

    /** One crop as a single-pair .bin (the same JPEG encoding the committed file went through). */
    private Path write(ImageBatch crop) {
        Path f = dir.resolve("one.bin");
        InsightfaceBin.write(f, List.of(DemoBenchmark.jpeg(crop), DemoBenchmark.jpeg(crop)), new boolean[] {true});
        return f;
    }

    /** The whole loop offline: evaluate the demo recogniser and an untrained network on the benchmark folder. */
    @Test
    void demoRecogniserBeatsAnUntrainedNetworkByAClearMargin() throws IOException {
        Path untrained = UntrainedNetwork.write(dir.resolve("untrained.onnx"), 1);
        Path json = dir.resolve("evaluation.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), "--plugins", Files.createDirectories(dir.resolve("plugins"))
                .toString(), "-q", "evaluate", "-m", "demo-recognizer=" + DemoModels.dir().resolve("recognizer").resolve("demo_face.onnx"),
                "-m", "untrained=" + untrained, "-o", json.toString(), BIN.getParent().toString());
        assertEquals(0, code, err.toString());
        System.out.println(out);
        JsonNode results = Json.MAPPER.readTree(json.toFile()).get("results");
        JsonNode demo = results.get(0).get("verification");
        JsonNode none = results.get(1).get("verification");
        assertEquals("demo-recognizer", results.get(0).get("model").asText());
        assertEquals("untrained", results.get(1).get("model").asText());
        double demoAcc = demo.get("accuracy_mean").asDouble();
        double noneAcc = none.get("accuracy_mean").asDouble();
        System.out.printf("demo benchmark: demo recogniser accuracy %.4f (EER %.4f), untrained network %.4f (EER %.4f)%n",
                demoAcc, demo.get("eer").asDouble(), noneAcc, none.get("eer").asDouble());
        assertTrue(demoAcc > 0.9, "demo recogniser accuracy " + demoAcc);
        assertTrue(demoAcc - noneAcc > 0.15, "demo " + demoAcc + " vs untrained " + noneAcc);
        assertTrue(none.get("eer").asDouble() > demo.get("eer").asDouble() + 0.15);
    }
}
