package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.dataset.ImageFiles;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runtime.DefaultModelHost;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.runner.verification.BenchmarkEmbedder;
import org.exfacegan.runner.verification.BenchmarkEmbeddings;
import org.exfacegan.runner.verification.BenchmarkResult;
import org.exfacegan.runner.verification.InsightfaceBin;
import org.exfacegan.runner.verification.LfwPairs;
import org.exfacegan.runner.verification.Verification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * {@code exfacegan evaluate} with a real face-recognition model on real faces (downloaded at
 * test time, RealFaceFiles): each of the 22 faces of the sample photos is cut out with a margin
 * and re-captured twice (smaller, other contrast and brightness) as an LFW-style benchmark; same
 * face = same identity, different faces = different identities. Evaluated as whole photos
 * (detector + landmarks), as aligned crops in a folder and in a .bin, with flip fusion done by
 * the runner (normalised sum) and by the plugin (insightface's raw sum).
 */
class RealFaceEvaluateTest {
    private static final int CAPTURES = 3;

    @TempDir
    static Path dir;

    private static RealFaceFiles files;
    private static Path photos;
    private static Path crops;
    private static Path detectConfig;
    private static int faces;

    @BeforeAll
    static void benchmark() throws IOException {
        try {
            files = RealFaceFiles.download();
        } catch (TestAbortedException e) {
            System.err.println("RealFaceEvaluateTest skipped: " + e.getMessage());
            throw e;
        }
        detectConfig = Files.writeString(dir.resolve("detect.json"), """
                {"type": "arcface", "model": "%s",
                 "options": {"normalization": "127/128", "landmarks": "detect",
                             "detector": "fr_detect.onnx", "landmark_model": "fr_landmark.onnx"}}
                """.formatted(files.feature().toString().replace("\\", "/")));
        photos = Files.createDirectories(dir.resolve("real-photos"));
        crops = Files.createDirectories(dir.resolve("real-aligned"));
        try (ArcFaceRecognizer detect = open(ArcFaceSettings.detect("fr_detect.onnx", "fr_landmark.onnx")
                .withNormalization("127/128"))) {
            for (Path file : files.photos()) {
                ImageBatch photo = ImageFiles.read(file);
                for (ArcFaceRecognizer.Located f : detect.locate(photo, 0)) {
                    String person = String.format(Locale.ROOT, "face%02d", faces++);
                    for (int c = 1; c <= CAPTURES; c++) {
                        Capture capture = capture(photo, f, c);
                        String name = String.format(Locale.ROOT, "%s/%s_%04d.png", person, person, c);
                        write(photos.resolve(name), Png.encode(capture.image(), 0));
                        // the aligned crop from the photo's landmarks carried into the capture (no second detection)
                        byte[] crop = FaceTemplate.align(capture.image(), 0, capture.landmarks(), true);
                        write(crops.resolve(name), Png.encode(new ImageBatch(1, FaceTemplate.SIZE, FaceTemplate.SIZE, crop), 0));
                    }
                }
            }
        }
        String pairs = pairsList(faces);
        Files.writeString(photos.resolve(LfwPairs.FILE_NAME), pairs);
        Files.writeString(crops.resolve(LfwPairs.FILE_NAME), pairs);
    }

    /** A capture of a face and where its 5 landmarks are in it. */
    record Capture(ImageBatch image, float[] landmarks) {}

    /**
     * Capture c of a face: a square of 2.2 box sides around it, at scale 1 (c = 1), 0.55 with
     * contrast 0.8 and brightness +20 (c = 2, RealFaceModelTest's re-capture), or 0.8 with contrast
     * 1.15 and brightness -15 (c = 3).
     */
    private static Capture capture(ImageBatch photo, ArcFaceRecognizer.Located face, int c) {
        float[] box = face.box();
        double side = 2.2 * Math.max(box[2] - box[0], box[3] - box[1]);
        double x0 = (box[0] + box[2]) / 2.0 - side / 2;
        double y0 = (box[1] + box[3]) / 2.0 - side / 2;
        double scale = c == 1 ? 1 : c == 2 ? 0.55 : 0.8;
        double contrast = c == 1 ? 1 : c == 2 ? 0.8 : 1.15;
        double brightness = c == 1 ? 0 : c == 2 ? 20 : -15;
        int out = (int) Math.round(side * scale);
        float[] px = Warp.resize(photo, 0, x0, y0, side, side, out, out, true);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) ((px[i] - 128) * contrast + 128 + brightness);
        }
        // pixel centre x in the photo lands at (x + 0.5 - x0) / s - 0.5 in the capture, s = side / out
        double s = side / out;
        float[] lm = face.landmarks().clone();
        for (int i = 0; i < lm.length; i += 2) {
            lm[i] = (float) ((lm[i] + 0.5 - x0) / s - 0.5);
            lm[i + 1] = (float) ((lm[i + 1] + 0.5 - y0) / s - 0.5);
        }
        return new Capture(new ImageBatch(1, out, out, Warp.toBytes(px)), lm);
    }

    /** All 3 same-face pairs of each face, and as many different-face pairs, alternating (every fold gets both). */
    private static String pairsList(int n) {
        List<String> same = new ArrayList<>();
        List<String> diff = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            same.add(String.format(Locale.ROOT, "face%02d\t1\t2", i));
            same.add(String.format(Locale.ROOT, "face%02d\t1\t3", i));
            same.add(String.format(Locale.ROOT, "face%02d\t2\t3", i));
            for (int d : new int[] {1, 7, 13}) {
                diff.add(String.format(Locale.ROOT, "face%02d\t%d\tface%02d\t%d", i, 1 + (i + d) % 3, (i + d) % n, 1 + (i + 2 * d) % 3));
            }
        }
        StringBuilder b = new StringBuilder(same.size() + "\n");
        for (int k = 0; k < same.size(); k++) {
            b.append(same.get(k)).append('\n').append(diff.get(k)).append('\n');
        }
        return b.toString();
    }

    private static ArcFaceRecognizer open(ArcFaceSettings settings) {
        return (ArcFaceRecognizer) new ArcFaceProvider().open(new PluginContext(files.feature(), settings,
                DefaultModelHost.fromServiceLoader(), ModelOptions.DEFAULT, PluginJson.READER));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private static JsonNode evaluate(String... args) throws IOException {
        Path json = dir.resolve("evaluation-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("--plugins", Files.createDirectories(dir.resolve("plugins")).toString(), "-q",
                "evaluate", "-o", json.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Cli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new)), err.toString());
        System.out.println(out);
        return Json.MAPPER.readTree(json.toFile());
    }

    private static String figures(JsonNode v) {
        return String.format(Locale.ROOT, "accuracy %.4f +- %.4f, TAR@FAR=1e-3 %.4f, EER %.4f, genuine mean %.3f, impostor mean %.3f",
                v.get("accuracy_mean").asDouble(), v.get("accuracy_std").asDouble(), v.get("tar").asDouble(),
                v.get("eer").asDouble(), v.get("genuine_mean").asDouble(), v.get("impostor_mean").asDouble());
    }

    private static void plausible(JsonNode v) {
        assertTrue(v.get("accuracy_mean").asDouble() >= 0.95, figures(v));
        assertTrue(v.get("eer").asDouble() <= 0.05, figures(v));
        assertTrue(v.get("genuine_mean").asDouble() >= 0.85, figures(v));
        assertTrue(Math.abs(v.get("impostor_mean").asDouble()) <= 0.3, figures(v));
    }

    /** Whole photos: the recogniser detects, aligns and embeds every face; none is missed. */
    @Test
    void photosThroughDetectionGiveSensibleFigures() throws IOException {
        JsonNode root = evaluate("-m", "faceplugin=" + detectConfig, photos.toString());
        JsonNode r = root.at("/results/0");
        assertEquals(22, faces, "the sample photos hold 22 faces");
        assertEquals(2 * 66, r.at("/verification/pairs").asInt());
        assertEquals(0, r.get("no_face_images").asInt(), "every capture of every face is detected");
        System.out.println("real faces, whole photos (detect): " + figures(r.get("verification")));
        plausible(r.get("verification"));
    }

    /** Aligned crops as a folder and packed in a .bin give the same figures (the same pixels), with the model file's defaults. */
    @Test
    void alignedCropsInAFolderAndInABinAgree() throws IOException {
        Benchmark folder = LfwPairs.read(crops.resolve(LfwPairs.FILE_NAME), true);
        List<byte[]> bin = new ArrayList<>();
        for (int k = 0; k < folder.pairs(); k++) {
            bin.add(Files.readAllBytes(((Benchmark.File) folder.images().get(folder.first()[k])).path()));
            bin.add(Files.readAllBytes(((Benchmark.File) folder.images().get(folder.second()[k])).path()));
        }
        Path bins = Files.createDirectories(dir.resolve("bins"));
        InsightfaceBin.write(bins.resolve("real.bin"), bin, folder.same());
        JsonNode root = evaluate("-m", files.feature().toString(), "--aligned", crops.toString(), bins.toString());
        JsonNode fromFolder = root.at("/results/0/verification");
        JsonNode fromBin = root.at("/results/1/verification");
        assertEquals("real-aligned", root.at("/results/0/benchmark").asText());
        assertEquals("real", root.at("/results/1/benchmark").asText());
        System.out.println("real faces, aligned crops, arcface defaults: " + figures(fromFolder));
        plausible(fromFolder);
        assertEquals(fromFolder.get("accuracy_mean").asDouble(), fromBin.get("accuracy_mean").asDouble(), 0);
        assertEquals(fromFolder.get("eer").asDouble(), fromBin.get("eer").asDouble(), 0);
    }

    /**
     * The runner fuses the unit embeddings of a crop and its mirror image; insightface sums the
     * raw outputs (the plugin's flip_fusion). Measured here: how far apart the two are.
     */
    @Test
    void flipFusionOfUnitEmbeddingsIsCloseToInsightfacesRawSum() {
        Benchmark b = LfwPairs.read(crops.resolve(LfwPairs.FILE_NAME), true);
        try (Recognizer plain = open(ArcFaceSettings.defaults().withNormalization("127/128"));
                Recognizer raw = open(ArcFaceSettings.defaults().withNormalization("127/128").withFlipFusion(true))) {
            BenchmarkEmbeddings ours = BenchmarkEmbedder.embed(plain, b, true, Progress.QUIET);
            BenchmarkEmbeddings insightface = BenchmarkEmbedder.embed(raw, b, false, Progress.QUIET);
            double min = 1;
            for (int i = 0; i < ours.count(); i++) {
                double c = 0;
                for (int k = 0; k < ours.vectors()[i].length; k++) {
                    c += (double) ours.vectors()[i][k] * insightface.vectors()[i][k];
                }
                min = Math.min(min, c);
            }
            BenchmarkResult a = Verification.score(b, ours, Verification.Options.INSIGHTFACE);
            BenchmarkResult r = Verification.score(b, insightface, new Verification.Options(false, 10));
            BenchmarkResult none = Verification.run(plain, b, new Verification.Options(false, 10), Progress.QUIET);
            System.out.printf(Locale.ROOT, "flip fusion on %d real crops: cosine of unit-sum vs raw-sum embeddings >= %.6f; "
                    + "accuracy unit-sum %.4f, raw-sum %.4f, no flip %.4f; EER %.4f / %.4f / %.4f%n", ours.count(), min,
                    a.verification().accuracyMean(), r.verification().accuracyMean(), none.verification().accuracyMean(),
                    a.verification().eer(), r.verification().eer(), none.verification().eer());
            assertTrue(min > 0.99, "unit-sum and raw-sum fusion differ: cosine " + min);
        }
    }
}
