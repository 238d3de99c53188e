package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.backbone.gancontrol.GanControlProvider;
import org.exfacegan.backbone.gancontrol.GanControlSettings;
import org.exfacegan.backbone.gansformer.GansformerProvider;
import org.exfacegan.backbone.gansformer.GansformerSettings;
import org.exfacegan.backbone.stylegan2.StyleGan2Provider;
import org.exfacegan.backbone.stylegan2.StyleGan2Settings;
import org.exfacegan.backbone.stylegan3.StyleGan3Provider;
import org.exfacegan.backbone.stylegan3.StyleGan3Settings;
import org.exfacegan.recognizer.arcface.ArcFaceProvider;
import org.exfacegan.recognizer.arcface.ArcFaceSettings;
import org.exfacegan.recognizer.arcface.FaceTemplate;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed demo world (models/demo) through the real code paths: the backbone plugins on
 * ONNX Runtime (truncation cutoff 8 for every layout) and the arcface plugin with fixed
 * landmarks. Figures are printed; pictures go to target/demo-world/.
 */
class DemoWorldTest {
    private static final DefaultModelHost HOST = DefaultModelHost.fromServiceLoader();
    private static final ModelOptions OPTIONS = ModelOptions.DEFAULT.withBatchSize(32);
    private static final int PAIRS = 64;

    static Backbone open(String layout, double psi) {
        Path descriptor = DemoModels.dir().resolve(layout).resolve("model.json");
        return switch (layout) {
            case "stylegan2" -> new StyleGan2Provider().open(context(descriptor, new StyleGan2Settings(psi, 8, LatentSpace.W)));
            case "stylegan3" -> new StyleGan3Provider().open(context(descriptor, new StyleGan3Settings(psi, 8, LatentSpace.W)));
            case "gansformer" -> new GansformerProvider().open(context(descriptor, new GansformerSettings(psi, 8, LatentSpace.W)));
            case "gancontrol" -> new GanControlProvider().open(context(descriptor, new GanControlSettings(psi, 8, LatentSpace.W)));
            default -> throw new IllegalArgumentException(layout);
        };
    }

    private static PluginContext context(Path model, Object settings) {
        return new PluginContext(model, settings, HOST, OPTIONS, PluginJson.READER);
    }

    private static Recognizer recognizer() {
        Path model = DemoModels.dir().resolve("recognizer").resolve("demo_face.onnx");
        return new ArcFaceProvider().open(context(model, ArcFaceSettings.defaults()));
    }

    private static FloatTensor fitLatents(Backbone b, long seed, int count) {
        FloatTensor z = b.sampleZ(seed, 0, count);
        return b.fitLatents(z, b.map(z));
    }

    @Test
    void committedWorldMatchesTheCurrentFixedLandmarks() throws IOException {
        String report = Files.readString(DemoModels.dir().resolve("BUILD-REPORT.txt"));
        assertTrue(report.contains(DemoWorld.LAYOUT_LINE + DemoWorld.layoutLine()),
                "models/demo was built for another fixed landmark layout than the arcface plugin's current one ("
                        + DemoWorld.layoutLine() + "): regenerate it (docs/demo-world.md)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stylegan2", "stylegan3", "gansformer", "gancontrol"})
    void rendersFacesWithTheDescribedLayout(String layout) {
        try (Backbone b = open(layout, 0.7)) {
            assertTrue(b.hasGroundTruth());
            int r = b.layout().resolution();
            ImageBatch img = b.render(fitLatents(b, 1, 5)); // 5: not a multiple of stylegan3's static batch 4
            assertEquals(5, img.count());
            assertEquals(r, img.width());
            for (int i = 0; i < 5; i++) {
                // a face in the middle, background in the corner: the eye, cheek and corner colours differ
                int[] corner = pixel(img, i, 0.03, 0.7);
                int[] cheek = pixel(img, i, 0.36, 0.63);
                int[] eye = pixel(img, i, DemoFace.EYE_LX, DemoFace.EYE_Y);
                assertTrue(distance(corner, cheek) > 30, layout + " image " + i + ": cheek " + Arrays.toString(cheek)
                        + " vs background " + Arrays.toString(corner));
                assertTrue(distance(eye, cheek) > 30, layout + " image " + i + ": eye " + Arrays.toString(eye));
                assertTrue(cheek[0] > cheek[2], layout + " image " + i + ": skin is reddish " + Arrays.toString(cheek));
            }
            assertFalse(Arrays.equals(img.image(0).rgb(), img.image(1).rgb()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stylegan2", "stylegan3", "gansformer", "gancontrol"})
    void groundTruthIsStandardisedAndAffineInW(String layout) {
        try (Backbone b = open(layout, 1.0)) {
            int n = 400;
            FloatTensor w = fitLatents(b, 2, n);
            FloatTensor truth = b.groundTruth(w);
            assertEquals(List.of((long) n, (long) DemoFace.ID), List.of(truth.dim(0), truth.dim(1)));
            for (int k = 0; k < DemoFace.ID; k++) {
                double mean = 0;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    double v = truth.data()[i * DemoFace.ID + k];
                    mean += v / n;
                    sq += v * v / n;
                }
                double std = Math.sqrt(sq - mean * mean);
                assertTrue(Math.abs(mean) < 0.2 && std > 0.8 && std < 1.25,
                        layout + " factor " + DemoFace.IDENTITY[k] + ": mean " + mean + ", std " + std);
            }
            // truth of a midpoint is the midpoint of the truths (true factors are affine in w)
            int d = w.itemSize();
            float[] mid = new float[d];
            for (int j = 0; j < d; j++) {
                mid[j] = (w.data()[j] + w.data()[d + j]) / 2;
            }
            float[] t = b.groundTruth(FloatTensor.of(mid, 1, d)).data();
            for (int k = 0; k < DemoFace.ID; k++) {
                float expected = (truth.data()[k] + truth.data()[DemoFace.ID + k]) / 2;
                assertEquals(expected, t[k], 1e-3, layout + " factor " + k);
            }
        }
    }

    /**
     * Genuine pairs keep the true identity factors exactly (the second latent moves only in the
     * null space of the ground truth), so every other factor (expression, lighting, background,
     * pose) changes; impostor pairs are independent latents.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stylegan2", "stylegan3", "gansformer", "gancontrol"})
    void recognizerKeepsIdentityAndIgnoresNuisance(String layout) throws IOException {
        try (Backbone b = open(layout, 0.7); Recognizer rec = recognizer()) {
            FloatTensor base = fitLatents(b, 3, 2 * PAIRS);
            int d = base.itemSize();
            float[] a = Arrays.copyOf(base.data(), PAIRS * d);
            float[] other = Arrays.copyOfRange(base.data(), PAIRS * d, 2 * PAIRS * d);
            double[][] q = groundTruthRowSpace(b, a, d);
            float[] g = new float[PAIRS * d];
            for (int i = 0; i < PAIRS; i++) {
                double[] delta = new double[d];
                for (int j = 0; j < d; j++) {
                    delta[j] = other[i * d + j] - a[i * d + j];
                }
                for (double[] row : q) {
                    double dot = 0;
                    for (int j = 0; j < d; j++) {
                        dot += row[j] * delta[j];
                    }
                    for (int j = 0; j < d; j++) {
                        delta[j] -= dot * row[j];
                    }
                }
                for (int j = 0; j < d; j++) {
                    g[i * d + j] = (float) (a[i * d + j] + delta[j]);
                }
            }
            FloatTensor fa = FloatTensor.of(a, PAIRS, d);
            FloatTensor fg = FloatTensor.of(g, PAIRS, d);
            float[] ta = b.groundTruth(fa).data();
            float[] tg = b.groundTruth(fg).data();
            double maxTruthDiff = 0;
            for (int i = 0; i < ta.length; i++) {
                maxTruthDiff = Math.max(maxTruthDiff, Math.abs(ta[i] - tg[i]));
            }
            assertTrue(maxTruthDiff < 2e-3, "genuine partner keeps the true identity, max |diff| " + maxTruthDiff);

            long t0 = System.nanoTime();
            ImageBatch ia = b.render(fa);
            long t1 = System.nanoTime();
            ImageBatch ig = b.render(fg);
            ImageBatch io = b.render(FloatTensor.of(other, PAIRS, d));
            double pixelChange = meanAbsDiff(ia, ig);
            assertTrue(pixelChange > 6, "nuisance changes the picture: mean |pixel diff| " + pixelChange);
            long t2 = System.nanoTime();
            float[][] ea = embed(rec, ia);
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "demo %s: render %.0f images/s, align + embed %.0f images/s (%d images)%n",
                    layout, PAIRS / ((t1 - t0) / 1e9), PAIRS / ((t3 - t2) / 1e9), PAIRS);
            float[][] eg = embed(rec, ig);
            float[][] eo = embed(rec, io);
            float[] to = b.groundTruth(FloatTensor.of(other, PAIRS, d)).data();
            double[] genuine = new double[PAIRS];
            double[] impostor = new double[PAIRS * (PAIRS - 1)];
            double[] truthCos = new double[impostor.length];
            int m = 0;
            for (int i = 0; i < PAIRS; i++) {
                genuine[i] = dot(ea[i], eg[i]);
                for (int j = 0; j < PAIRS; j++) {
                    if (j != i) {
                        truthCos[m] = cosine(ta, i, to, j);
                        impostor[m++] = dot(ea[i], eo[j]);
                    }
                }
            }
            // the recogniser's similarity follows the true identity similarity
            double corr = pearson(truthCos, impostor);
            double gMean = mean(genuine);
            double iMean = mean(impostor);
            double gLow = percentile(genuine, 0.05);
            double iHigh = percentile(impostor, 0.95);
            System.out.printf(Locale.ROOT, "demo %s: genuine cosine mean %.3f (5th pct %.3f, min %.3f), impostor mean %.3f"
                    + " (95th pct %.3f, max %.3f), mean |pixel change| of genuine pairs %.1f; impostor cosine vs true-identity"
                    + " cosine: Pearson r %.3f%n", layout, gMean, gLow, percentile(genuine, 0), iMean, iHigh,
                    percentile(impostor, 1), pixelChange, corr);
            sheet(layout, ia, ig, io);
            assertTrue(gMean > 0.9, "genuine mean " + gMean);
            assertTrue(Math.abs(iMean) < 0.15, "impostor mean " + iMean);
            assertTrue(corr > 0.8, "correlation with true identity similarity " + corr);
            assertTrue(gLow > iHigh + 0.2, "5th percentile genuine " + gLow + " vs 95th percentile impostor " + iHigh);
        }
    }

    /**
     * The demo world supports the method: a least-squares boundary fitted in w to the recogniser's
     * "similar to the reference" labels (median threshold, as ExFaceGAN labels) points toward the
     * reference's true identity, so moving probes along it raises their true-identity similarity.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stylegan2", "stylegan3", "gansformer", "gancontrol"})
    void recogniserLabelsGiveBoundariesTowardTheTrueIdentity(String layout) {
        try (Backbone b = open(layout, 0.7); Recognizer rec = recognizer()) {
            int n = 600;
            FloatTensor w = fitLatents(b, 9, n);
            int d = w.itemSize();
            float[][] e = embed(rec, b.render(w));
            float[] truth = b.groundTruth(w).data();
            DMatrixRMaj x = new DMatrixRMaj(n, d);
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += w.data()[i * d + j] / n;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x.set(i, j, w.data()[i * d + j] - mean[j]);
                }
            }
            DMatrixRMaj gram = new DMatrixRMaj(d, d);
            CommonOps_DDRM.multTransA(x, x, gram);
            int refs = 12;
            int samples = 40;
            double[] levels = {0, 1, 2};
            double[] sampleCos = new double[levels.length];
            double randomCos = 0;
            for (int r = 0; r < refs; r++) {
                double[] sim = new double[n];
                for (int i = 0; i < n; i++) {
                    sim[i] = dot(e[r], e[i]);
                }
                double median = percentile(sim, 0.5);
                DMatrixRMaj y = new DMatrixRMaj(n, 1);
                for (int i = 0; i < n; i++) {
                    y.set(i, 0, i == r ? 0 : sim[i] > median ? 1 : -1);
                }
                DMatrixRMaj rhs = new DMatrixRMaj(d, 1);
                CommonOps_DDRM.multTransA(x, y, rhs);
                DMatrixRMaj a = gram.copy();
                for (int j = 0; j < d; j++) {
                    a.add(j, j, 1e-3 * n);
                }
                DMatrixRMaj normal = new DMatrixRMaj(d, 1);
                assertTrue(CommonOps_DDRM.solveSPD(a, rhs, normal));
                double len = Math.sqrt(CommonOps_DDRM.dot(normal, normal));
                double[] u = new double[d];
                double spread = 0;
                for (int j = 0; j < d; j++) {
                    u[j] = normal.get(j) / len;
                }
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += u[j] * x.get(i, j);
                    }
                    spread += s * s / n;
                }
                spread = Math.sqrt(spread);
                double refLevel = 0;
                for (int j = 0; j < d; j++) {
                    refLevel += u[j] * x.get(r, j);
                }
                // probes moved along the normal to the reference's level plus 0, 1, 2 spreads
                float[] moved = new float[levels.length * samples * d];
                for (int k = 0; k < levels.length; k++) {
                    for (int p = 0; p < samples; p++) {
                        int probe = refs + (r * samples + p) % (n - refs);
                        double level = 0;
                        for (int j = 0; j < d; j++) {
                            level += u[j] * x.get(probe, j);
                        }
                        double step = refLevel + levels[k] * spread - level;
                        for (int j = 0; j < d; j++) {
                            moved[(k * samples + p) * d + j] = (float) (w.data()[probe * d + j] + step * u[j]);
                        }
                        randomCos += k == 0 ? cosine(truth, r, truth, probe) / (refs * samples) : 0;
                    }
                }
                float[] mt = b.groundTruth(FloatTensor.of(moved, levels.length * samples, d)).data();
                for (int k = 0; k < levels.length; k++) {
                    for (int p = 0; p < samples; p++) {
                        sampleCos[k] += cosine(truth, r, mt, k * samples + p) / (refs * samples);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "demo %s: true-identity cosine to the reference: random probes %.3f; probes moved"
                    + " along the recogniser-label boundary to the reference's level +0/+1/+2 spreads %.3f / %.3f / %.3f%n",
                    layout, randomCos, sampleCos[0], sampleCos[1], sampleCos[2]);
            assertTrue(sampleCos[1] > randomCos + 0.3, "boundary moves toward the true identity: " + sampleCos[1]
                    + " vs random " + randomCos);
        }
    }

    /** Orthonormal rows spanning the ground truth's dependence on the fit latent (it is affine). */
    private static double[][] groundTruthRowSpace(Backbone b, float[] at, int d) {
        float[] probe = new float[(d + 1) * d];
        for (int j = 0; j <= d; j++) {
            System.arraycopy(at, 0, probe, j * d, d);
            if (j < d) {
                probe[j * d + j] += 1;
            }
        }
        float[] t = b.groundTruth(FloatTensor.of(probe, d + 1, d)).data();
        int k = DemoFace.ID;
        double[][] q = new double[k][d];
        for (int f = 0; f < k; f++) {
            for (int j = 0; j < d; j++) {
                q[f][j] = t[j * k + f] - t[d * k + f];
            }
            for (int p = 0; p < f; p++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += q[f][j] * q[p][j];
                }
                for (int j = 0; j < d; j++) {
                    q[f][j] -= dot * q[p][j];
                }
            }
            double norm = Math.sqrt(Arrays.stream(q[f]).map(x -> x * x).sum());
            for (int j = 0; j < d; j++) {
                q[f][j] /= norm;
            }
        }
        return q;
    }

    private static float[][] embed(Recognizer rec, ImageBatch images) {
        Embeddings e = rec.embed(images);
        for (int i = 0; i < e.count(); i++) {
            assertFalse(e.isRejected(i), "fixed landmarks never reject");
        }
        return e.vectors();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double cosine(float[] a, int i, float[] b, int j) {
        int k = DemoFace.ID;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int f = 0; f < k; f++) {
            ab += a[i * k + f] * b[j * k + f];
            aa += a[i * k + f] * a[i * k + f];
            bb += b[j * k + f] * b[j * k + f];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double pearson(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(p * (s.length - 1))];
    }

    private static double meanAbsDiff(ImageBatch a, ImageBatch b) {
        double s = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            s += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return s / a.rgb().length;
    }

    private static int[] pixel(ImageBatch img, int n, double fx, double fy) {
        int x = (int) (fx * img.width());
        int y = (int) (fy * img.height());
        return new int[] {img.get(n, y, x, 0), img.get(n, y, x, 1), img.get(n, y, x, 2)};
    }

    private static double distance(int[] a, int[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    /**
     * target/demo-world/LAYOUT.png: columns are pairs; rows: reference, its aligned crop, the genuine
     * partner (same identity, other nuisance), its crop, an impostor.
     */
    private static void sheet(String layout, ImageBatch ref, ImageBatch genuine, ImageBatch impostor) throws IOException {
        int cols = 10;
        int cell = 128;
        BufferedImage out = new BufferedImage(cols * cell, 5 * cell, BufferedImage.TYPE_INT_RGB);
        float[] points = FaceTemplate.fixedPoints(ref.width(), ref.height(), null);
        for (int c = 0; c < cols; c++) {
            ImageBatch[] rows = {ref, null, genuine, null, impostor};
            for (int r = 0; r < 5; r++) {
                ImageBatch src = rows[r] != null ? rows[r] : rows[r - 1];
                byte[] rgb;
                int size;
                if (rows[r] != null) {
                    rgb = src.image(c).rgb();
                    size = src.width();
                } else {
                    rgb = FaceTemplate.align(src, c, points, true);
                    size = FaceTemplate.SIZE;
                }
                for (int y = 0; y < cell; y++) {
                    for (int x = 0; x < cell; x++) {
                        int sx = x * size / cell;
                        int sy = y * size / cell;
                        int o = (sy * size + sx) * 3;
                        out.setRGB(c * cell + x, r * cell + y,
                                (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
                    }
                }
            }
        }
        Path dir = Path.of("target", "demo-world");
        Files.createDirectories(dir);
        ImageIO.write(out, "png", dir.resolve(layout + ".png").toFile());
    }
}
