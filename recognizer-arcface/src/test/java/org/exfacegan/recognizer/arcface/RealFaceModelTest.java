package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The plugin on a real face-recognition model and real group photos, downloaded at test time
 * (DESIGN.md section 4): faceplugin-face-recognition-js 0.0.1 (fr_feature / fr_detect /
 * fr_landmark ONNX) and @vladmandic/face-api 1.7.15's demo photos. Contact images of the
 * aligned crops go to target/ for people to look at.
 */
class RealFaceModelTest {
    private static final double RECAPTURE_SCALE = 0.55;
    private static final Path TARGET = Path.of("target");

    private static Path dir;
    private static ArcFaceRecognizer detect;
    private static final List<ImageBatch> photos = new ArrayList<>();
    /** Every face of every photo, in photo order. */
    private static final List<Face> faces = new ArrayList<>();

    record Face(int photo, ArcFaceRecognizer.Located located) {
        float[] points68() {
            return located.points68();
        }
    }

    /** Why the models are missing (registry unreachable), reported as each test's skip reason. */
    private static String skipped;

    @BeforeAll
    static void download() {
        RealFaceFiles files;
        try {
            files = RealFaceFiles.download();
        } catch (TestAbortedException e) {
            skipped = e.getMessage();
            System.err.println("RealFaceModelTest skipped: " + skipped);
            return;
        }
        dir = files.modelDir().getParent();
        detect = open(ArcFaceSettings.detect("fr_detect.onnx", "fr_landmark.onnx").withNormalization("127/128"));
        for (Path p : files.photos()) {
            ImageBatch photo = org.exfacegan.runner.dataset.ImageFiles.read(p);
            photos.add(photo);
            List<ArcFaceRecognizer.Located> found = detect.locate(photo, 0);
            for (ArcFaceRecognizer.Located f : found) {
                faces.add(new Face(photos.size() - 1, f));
            }
        }
    }

    @BeforeEach
    void requireModels() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void close() {
        if (detect != null) {
            detect.close();
        }
    }

    private static ArcFaceRecognizer open(ArcFaceSettings settings) {
        return (ArcFaceRecognizer) new ArcFaceProvider().open(new PluginContext(dir.resolve("faceplugin").resolve("fr_feature.onnx"),
                settings, DefaultModelHost.fromServiceLoader(), ModelOptions.DEFAULT, PluginJson.READER));
    }

    /** The photo shrunk to {@code scale} with contrast 0.8 and brightness +20. */
    static ImageBatch recapture(ImageBatch photo, double scale) {
        int w = (int) Math.round(photo.width() * scale);
        int h = (int) Math.round(photo.height() * scale);
        float[] small = Warp.resize(photo, 0, 0, 0, photo.width(), photo.height(), w, h, true);
        for (int i = 0; i < small.length; i++) {
            small[i] = (small[i] - 128) * 0.8f + 128 + 20;
        }
        return new ImageBatch(1, h, w, Warp.toBytes(small));
    }

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }

    static double percentile(List<Double> values, double p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double pos = p / 100 * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    private static String stats(String what, List<Double> v) {
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%s: n=%d mean=%.4f min=%.4f p1=%.4f p99=%.4f max=%.4f", what, v.size(), mean,
                percentile(v, 0), percentile(v, 1), percentile(v, 99), percentile(v, 100));
    }

    /** A copy of a crop with the 5 template points marked red, for the contact image only. */
    private static byte[] marked(byte[] crop) {
        byte[] c = crop.clone();
        float[] t = FaceTemplate.arcface();
        for (int k = 0; k < 5; k++) {
            int i = (Math.round(t[2 * k + 1]) * FaceTemplate.SIZE + Math.round(t[2 * k])) * 3;
            c[i] = (byte) 255;
            c[i + 1] = 0;
            c[i + 2] = 0;
        }
        return c;
    }

    @Test
    void recapturedFacesMatchThemselvesAndNotOthers() {
        assertTrue(faces.size() >= 18, "the 6 sample photos show about 22 faces; found " + faces.size());
        List<byte[]> originals = new ArrayList<>();
        List<byte[]> recaptured = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        List<float[]> boxes = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int p = 0; p < photos.size(); p++) {
            ImageBatch again = recapture(photos.get(p), RECAPTURE_SCALE);
            List<ArcFaceRecognizer.Located> found = detect.locate(again, 0);
            for (Face f : faces) {
                if (f.photo() != p) {
                    continue;
                }
                ArcFaceRecognizer.Located match = nearest(f.located().box(), found, RECAPTURE_SCALE);
                if (match == null) {
                    missed.add("photo " + (p + 1) + " box " + Arrays.toString(f.located().box()));
                    continue;
                }
                originals.add(f.located().crop());
                boxes.add(f.located().box());
                scores.add(f.located().score());
                recaptured.add(match.crop());
            }
        }
        List<byte[]> sheet = new ArrayList<>();
        for (int i = 0; i < originals.size(); i++) {
            sheet.add(marked(originals.get(i)));
            sheet.add(marked(recaptured.get(i)));
        }
        Path png = TARGET.resolve("arcface-aligned-crops.png").toAbsolutePath();
        TestImages.contactSheet(sheet, FaceTemplate.SIZE, 12, png);
        System.out.println("faces found: " + faces.size() + ", re-detected after re-capture: " + originals.size()
                + "; contact image (original | re-captured pairs, template points red): " + png);
        assertTrue(missed.isEmpty(), "faces not re-detected at " + RECAPTURE_SCALE + " scale: " + missed);

        float[][] a = detect.embedCrops(originals);
        float[][] b = detect.embedCrops(recaptured);
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        List<Double> impostorOriginals = new ArrayList<>();
        List<String> notBest = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            double own = cosine(b[i], a[i]);
            genuine.add(own);
            if (own < 0.95) {
                System.out.printf(Locale.ROOT, "low genuine: face %d (box side %.0f px, score %.3f) cosine %.4f%n", i,
                        boxes.get(i)[3] - boxes.get(i)[1], scores.get(i), own);
            }
            for (int j = 0; j < a.length; j++) {
                if (j != i) {
                    double c = cosine(b[i], a[j]);
                    impostor.add(c);
                    if (c >= own) {
                        notBest.add("face " + i + " matches face " + j + " (" + c + ") at least as well as itself (" + own + ")");
                    }
                    if (j > i) {
                        impostorOriginals.add(cosine(a[i], a[j]));
                    }
                }
            }
        }
        // the most similar different faces, for people to look at (the photos may share a person)
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                pairs.add(new int[] {i, j});
            }
        }
        pairs.sort((p, q) -> Double.compare(cosine(a[q[0]], a[q[1]]), cosine(a[p[0]], a[p[1]])));
        List<byte[]> top = new ArrayList<>();
        StringBuilder topText = new StringBuilder("most similar different faces:");
        for (int[] p : pairs.subList(0, Math.min(6, pairs.size()))) {
            top.add(originals.get(p[0]));
            top.add(originals.get(p[1]));
            topText.append(String.format(Locale.ROOT, " %d-%d %.3f", p[0], p[1], cosine(a[p[0]], a[p[1]])));
        }
        Path topPng = TARGET.resolve("arcface-most-similar-impostors.png").toAbsolutePath();
        TestImages.contactSheet(top, FaceTemplate.SIZE, 4, topPng);
        System.out.println(topText + " (pairs side by side in " + topPng + ")");
        System.out.println(stats("genuine (re-captured vs original, same face)", genuine));
        System.out.println(stats("impostor (re-captured vs other faces)", impostor));
        System.out.println(stats("impostor (original vs other original faces)", impostorOriginals));
        assertTrue(percentile(genuine, 0) >= 0.9, stats("genuine", genuine));
        assertTrue(notBest.isEmpty(), String.join("; ", notBest));
        double impostorMean = impostor.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(impostorMean < 0.25, stats("impostor", impostor));
        assertTrue(percentile(impostor, 99) < 0.6, stats("impostor", impostor));
    }

    /** The found face whose box centre, scaled back, is nearest to {@code box}'s, within a third of its side. */
    private static ArcFaceRecognizer.Located nearest(float[] box, List<ArcFaceRecognizer.Located> found, double scale) {
        double cx = (box[0] + box[2]) / 2 * scale;
        double cy = (box[1] + box[3]) / 2 * scale;
        double limit = (box[3] - box[1]) * scale / 3;
        ArcFaceRecognizer.Located best = null;
        double bestD = limit;
        for (ArcFaceRecognizer.Located f : found) {
            double d = Math.hypot((f.box()[0] + f.box()[2]) / 2 - cx, (f.box()[1] + f.box()[3]) / 2 - cy);
            if (d < bestD) {
                bestD = d;
                best = f;
            }
        }
        return best;
    }

    @Test
    void ffhqLayoutFollowsFromTheAlignmentRecipe() {
        double[] sum = new double[10];
        double[] sq = new double[10];
        for (Face f : faces) {
            float[] u = FfhqRecipe.fractions(f.points68(), f.located().landmarks());
            for (int i = 0; i < 10; i++) {
                sum[i] += u[i];
                sq[i] += u[i] * (double) u[i];
            }
        }
        int n = faces.size();
        StringBuilder line = new StringBuilder("FFHQ layout measured on " + n + " faces (mean +- sd, fractions):");
        for (int i = 0; i < 10; i++) {
            double mean = sum[i] / n;
            double sd = Math.sqrt(Math.max(0, sq[i] / n - mean * mean));
            line.append(String.format(Locale.ROOT, " %.4f+-%.4f", mean, sd));
        }
        System.out.println(line);
        // FFHQ's recipe is left-right symmetric, the faces of the sample photos are not (turned heads):
        // compare the symmetric parts: eye and mouth half-widths and heights, nose height
        double[] m = new double[10];
        for (int i = 0; i < 10; i++) {
            m[i] = sum[i] / n;
        }
        float[] f = FaceTemplate.FFHQ;
        assertEquals(0.5 - f[0], (m[2] - m[0]) / 2, 0.01, "eye half-distance");
        assertEquals(f[1], (m[1] + m[3]) / 2, 0.01, "eye height");
        assertEquals(f[5], m[5], 0.01, "nose height");
        assertEquals(0.5 - f[6], (m[8] - m[6]) / 2, 0.01, "mouth half-width");
        assertEquals(f[7], (m[7] + m[9]) / 2, 0.01, "mouth height");
        assertEquals(0.5, m[4], 0.05, "nose centred within the yaw spread of the sample faces");
    }

    @Test
    void fixedLandmarksOnFfhqAlignedFacesMatchTheDetectedFaces() {
        int side = 256;
        List<ImageBatch> aligned = new ArrayList<>();
        List<byte[]> detectedCrops = new ArrayList<>();
        for (Face f : faces) {
            aligned.add(FfhqRecipe.align(photos.get(f.photo()), f.points68(), side));
            detectedCrops.add(f.located().crop());
        }
        List<byte[]> fixedCrops = new ArrayList<>();
        float[][] fixed;
        try (ArcFaceRecognizer rec = open(ArcFaceSettings.defaults().withNormalization("127/128"))) {
            byte[] all = new byte[aligned.size() * side * side * 3];
            for (int i = 0; i < aligned.size(); i++) {
                System.arraycopy(aligned.get(i).rgb(), 0, all, i * side * side * 3, side * side * 3);
                fixedCrops.add(rec.locate(aligned.get(i), 0).get(0).crop());
            }
            fixed = rec.embed(new ImageBatch(aligned.size(), side, side, all)).vectors();
        }
        float[][] detected = detect.embedCrops(detectedCrops);
        List<byte[]> sheet = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            sheet.add(marked(detectedCrops.get(i)));
            sheet.add(marked(fixedCrops.get(i)));
        }
        Path png = TARGET.resolve("arcface-fixed-vs-detected-crops.png").toAbsolutePath();
        TestImages.contactSheet(sheet, FaceTemplate.SIZE, 12, png);
        List<Double> same = new ArrayList<>();
        List<Double> other = new ArrayList<>();
        List<String> notBest = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            double own = cosine(fixed[i], detected[i]);
            same.add(own);
            for (int j = 0; j < faces.size(); j++) {
                if (j != i) {
                    double c = cosine(fixed[i], detected[j]);
                    other.add(c);
                    if (c >= own) {
                        notBest.add("face " + i + " vs " + j);
                    }
                }
            }
        }
        System.out.println(stats("fixed FFHQ landmarks on FFHQ-aligned face vs detected landmarks, same face", same)
                + "; contact image (detected | fixed pairs): " + png);
        System.out.println(stats("fixed vs detected, other faces", other));
        assertTrue(percentile(same, 0) >= 0.8, stats("same face", same));
        assertTrue(notBest.isEmpty(), String.join("; ", notBest));
    }

    @Test
    void cliEmbedAndVerify(@TempDir Path tmp) throws IOException {
        Path config = Files.writeString(tmp.resolve("recognizer.json"), """
                {"type": "arcface", "model": "%s",
                 "options": {"normalization": "127/128", "landmarks": "detect",
                             "detector": "fr_detect.onnx", "landmark_model": "fr_landmark.onnx"}}
                """.formatted(dir.resolve("faceplugin").resolve("fr_feature.onnx").toString().replace("\\", "/")));
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path sample1 = dir.resolve("face-api").resolve("sample1.jpg");
        Path sample2 = dir.resolve("face-api").resolve("sample2.jpg");
        ImageBatch again = recapture(photos.get(0), RECAPTURE_SCALE);
        Path againPng = tmp.resolve("again.png");
        javax.imageio.ImageIO.write(TestImages.toImage(again.rgb(), again.width(), again.height()), "png", againPng.toFile());

        String[] same = cli("--plugins", plugins.toString(), "verify", config.toString(), sample1.toString(), againPng.toString());
        assertEquals("0", same[0], same[2]);
        double cos = Double.parseDouble(same[1].trim());
        System.out.println("cli verify sample1 vs its re-capture: " + cos);
        assertTrue(cos >= 0.9, same[1]);
        String[] diff = cli("--plugins", plugins.toString(), "verify", "--threshold", "0.5", config.toString(),
                sample1.toString(), sample2.toString());
        assertEquals("0", diff[0], diff[2]);
        assertTrue(diff[1].trim().endsWith("different"), diff[1]);

        Path npy = tmp.resolve("e.npy");
        String[] emb = cli("--plugins", plugins.toString(), "embed", "--all-faces", "--npy", npy.toString(), config.toString(),
                sample1.toString());
        assertEquals("0", emb[0], emb[2]);
        long inPhoto = faces.stream().filter(f -> f.photo() == 0).count();
        List<String> lines = emb[1].lines().toList();
        assertEquals(inPhoto, lines.size(), emb[1]);
        var first = org.exfacegan.runner.io.Json.MAPPER.readTree(lines.get(0));
        assertEquals(512, first.get("embedding").size());
        assertEquals(4, first.get("box").size());
        assertTrue(Files.size(npy) > inPhoto * 512 * 4);
    }

    private static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
