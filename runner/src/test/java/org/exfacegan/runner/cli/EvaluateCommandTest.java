package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.testing.TinyWorld;
import org.exfacegan.runner.verification.InsightfaceBin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exfacegan evaluate} end to end with the tiny-face recogniser (it reads an identity from
 * the first pixels of an image): benchmark folders, several models, the table and the JSON, and
 * every usage error with its exit code and message.
 */
class EvaluateCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path plugins;
    private Path recognizer;

    @BeforeEach
    void setUp() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins")); // providers come from the class path
        Files.writeString(dir.resolve("face.model"), "tiny-face opens no file");
        recognizer = Files.writeString(dir.resolve("tiny.json"), "{\"type\": \"tiny-face\", \"model\": \"face.model\"}");
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("--plugins", plugins.toString(), "-q"));
        all.addAll(List.of(args));
        return Cli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    }

    /**
     * An 8x8 PNG whose first row holds a tiny-world identity (mirrored, so flip fusion sees the
     * same identity) plus noise; {@code spread} scales the noise added to the identity.
     */
    private static byte[] face(double[] identity, SplittableRandom rnd, double spread) throws IOException {
        BufferedImage img = new BufferedImage(TinyWorld.SIZE, TinyWorld.SIZE, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[TinyWorld.ID_DIM];
        for (int k = 0; k < px.length; k++) {
            px[k] = TinyWorld.encode(identity[k] + spread * rnd.nextGaussian());
        }
        for (int x = 0; x < TinyWorld.SIZE; x++) {
            for (int y = 0; y < TinyWorld.SIZE; y++) {
                int m = Math.min(x, TinyWorld.SIZE - 1 - x); // column 0 and 7 alike, 1 and 6 alike
                int r = y == 0 && m < 2 ? px[m * 3] : rnd.nextInt(256);
                int g = y == 0 && m == 0 ? px[1] : rnd.nextInt(256);
                int b = y == 0 && m == 0 ? px[2] : rnd.nextInt(256);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        return png.toByteArray();
    }

    private static double[] identity(SplittableRandom rnd) {
        double[] v = new double[TinyWorld.ID_DIM];
        for (int k = 0; k < v.length; k++) {
            v[k] = 1.2 * rnd.nextGaussian();
        }
        return v;
    }

    /** n pairs, alternately same and different identity; {@code spread} makes genuine pairs differ. */
    private Path bin(Path file, int n, double spread, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<byte[]> images = new ArrayList<>();
        boolean[] same = new boolean[n];
        for (int k = 0; k < n; k++) {
            same[k] = k % 2 == 0;
            double[] a = identity(rnd);
            images.add(face(a, rnd, spread));
            images.add(face(same[k] ? a : identity(rnd), rnd, spread));
        }
        Files.createDirectories(file.getParent());
        InsightfaceBin.write(file, images, same);
        return file;
    }

    /** An LFW-style folder: person p has images 1 and 2 of one identity; pairs p 1 2 and p 1 (p+1) 1. */
    private Path pairsFolder(Path root, int people) throws IOException {
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder pairs = new StringBuilder(people + "\n");
        for (int p = 0; p < people; p++) {
            double[] id = identity(rnd);
            Path person = Files.createDirectories(root.resolve("p" + p));
            Files.write(person.resolve("p" + p + "_0001.png"), face(id, rnd, 0.02));
            Files.write(person.resolve("p" + p + "_0002.png"), face(id, rnd, 0.02));
            pairs.append("p").append(p).append(" 1 2\n");
        }
        for (int p = 0; p < people; p++) {
            pairs.append("p").append(p).append(" 1 p").append((p + 1) % people).append(" 2\n");
        }
        Files.writeString(root.resolve("pairs.txt"), pairs);
        return root;
    }

    @Test
    void tableOfModelsByBenchmarksWithAverageAndJson() throws IOException {
        Path benchmarks = dir.resolve("benchmarks");
        bin(benchmarks.resolve("easy.bin"), 60, 0.02, 1);
        bin(benchmarks.resolve("hard.bin"), 60, 0.9, 2);
        pairsFolder(benchmarks.resolve("photos"), 15);
        Path json = dir.resolve("results").resolve("eval.json");
        int code = run("evaluate", "-m", "tiny=" + recognizer, "-m", "again=" + recognizer, benchmarks.toString(),
                "--aligned", "-o", json.toString());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        System.out.println(text);
        List<String> lines = text.lines().toList();
        assertEquals("| model | easy | hard | photos | average |", lines.get(0));
        assertTrue(lines.get(2).startsWith("| tiny | 100.00 | "), lines.get(2));
        assertTrue(lines.get(3).startsWith("| again | 100.00 | "), lines.get(3));
        assertTrue(text.contains("| model | benchmark | pairs (same/diff) | accuracy % ± std | TAR@FAR=1e-3 | EER | no face (images) |"));
        assertTrue(text.contains("| tiny | easy | 60 (30/30) | 100.00 ± 0.00 | 1.0000 * | 0.0000 | 0 |"), text);
        assertTrue(text.contains("* fewer than 1000 different-identity pairs"));

        JsonNode root = ConfigLoader.MAPPER.readTree(json.toFile());
        assertEquals(10, root.at("/protocol/folds").asInt());
        assertTrue(root.at("/protocol/flip_fusion").asBoolean());
        assertEquals("tiny-face", root.at("/models/0/recognizer/provider").asText());
        assertEquals(List.of("easy", "hard", "photos"), List.of(root.at("/table/columns/0").asText(),
                root.at("/table/columns/1").asText(), root.at("/table/columns/2").asText()));
        assertEquals("insightface-bin", root.at("/benchmarks/0/format").asText());
        assertEquals(64, root.at("/benchmarks/0/sha256").asText().length());
        assertEquals("pairs-list", root.at("/benchmarks/2/format").asText());
        assertEquals(30, root.at("/benchmarks/2/images").asInt(), "each photo once, though in 2 pairs");
        assertEquals(6, root.get("results").size());
        JsonNode hard = root.get("results").get(1); // grouped by model, then benchmark
        assertEquals("tiny", hard.get("model").asText());
        assertEquals("hard", hard.get("benchmark").asText());
        double acc = hard.at("/verification/accuracy_mean").asDouble();
        assertTrue(acc > 0.55 && acc < 1, "noisy genuine pairs: between chance and perfect, got " + acc);
        assertEquals(10, hard.at("/verification/fold_accuracies").size());
        double avg = root.at("/table/rows/0/average_percent").asDouble();
        double mean = (root.at("/table/rows/0/accuracy_percent/easy").asDouble() + root.at("/table/rows/0/accuracy_percent/hard").asDouble()
                + root.at("/table/rows/0/accuracy_percent/photos").asDouble()) / 3;
        assertEquals(mean, avg, 1e-9);
        assertFalse(Files.exists(dir.resolve("results").resolve("eval.json.tmp")));
    }

    @Test
    void usageErrorsExitTwoNamingWhatIsWrong() throws IOException {
        Path bench = bin(dir.resolve("b").resolve("lfw.bin"), 20, 0.02, 3);
        assertUsage("benchmark " + dir.resolve("missing") + " not found", "-m", recognizer.toString(), dir.resolve("missing").toString());
        assertUsage("--model " + dir.resolve("nope.onnx") + ": file not found", "-m", dir.resolve("nope.onnx").toString(), bench.toString());
        Path onnx = Files.writeString(dir.resolve("model.onnx"), "x");
        assertUsage("a model file is opened with the \"arcface\" recogniser plugin, which is not loaded", "-m", onnx.toString(),
                bench.toString());
        assertUsage("are both labelled \"tiny\"", "-m", recognizer.toString(), "-m", "tiny=" + recognizer, bench.toString());
        assertUsage("--folds must be at least 2", "-m", recognizer.toString(), "--folds", "1", bench.toString());
        assertUsage("is a folder; name the JSON file", "-m", recognizer.toString(), "-o", dir.toString(), bench.toString());
        assertUsage("--device and --batch-size apply to model files", "-m", recognizer.toString(), "--device", "cpu", bench.toString());
        Path badConfig = Files.writeString(dir.resolve("bad.json"), "{\"type\": \"tiny-face\", \"model\": \"face.model\", \"batch\": 3}");
        assertUsage("config " + badConfig + ": /batch", "-m", badConfig.toString(), bench.toString());
        assertEquals(2, run("evaluate", bench.toString()), "a model is required");
        assertFalse(Files.exists(dir.resolve("e.json")), "no results are written after a usage error");
    }

    private void assertUsage(String message, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of("evaluate"));
        if (!List.of(args).contains("-o")) {
            all.addAll(List.of("-o", dir.resolve("e.json").toString()));
        }
        all.addAll(List.of(args));
        assertEquals(2, run(all.toArray(String[]::new)), err.toString());
        assertTrue(err.toString().contains(message), "expected \"" + message + "\" in:\n" + err);
        assertFalse(err.toString().contains("\tat "), "no stack trace:\n" + err);
    }

    /** A hostile .bin or a broken pairs list: a run failure (1) naming the file, no stack trace, no result file. */
    @Test
    void brokenBenchmarksFailNamingTheFile() throws IOException {
        Path bad = Files.write(dir.resolve("evil.bin"), new byte[] {(byte) 0x80, 4, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n'});
        Path json = dir.resolve("r.json");
        assertEquals(1, run("evaluate", "-m", recognizer.toString(), "-o", json.toString(), bad.toString()));
        assertTrue(err.toString().contains("error: benchmark " + bad + " is not an insightface .bin"), err.toString());
        assertTrue(err.toString().contains("os.system"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
        assertFalse(Files.exists(json));

        Path lfw = pairsFolder(dir.resolve("lfw"), 12);
        Files.writeString(lfw.resolve("pairs.txt"), "p0 1 3\n", java.nio.file.StandardOpenOption.APPEND);
        err.getBuffer().setLength(0);
        assertEquals(1, run("evaluate", "-m", recognizer.toString(), "-o", json.toString(), lfw.toString()));
        assertTrue(err.toString().contains("line 26: image"), err.toString());
    }
}
