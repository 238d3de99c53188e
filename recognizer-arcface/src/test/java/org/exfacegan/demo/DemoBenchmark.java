package org.exfacegan.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.recognizer.arcface.ArcFaceProvider;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.verification.InsightfaceBin;

/**
 * The demo benchmark (docs/evaluation.md): face-verification pairs drawn from the demo world's
 * own factors, labelled by its ground truth, written as an insightface {@code .bin} of aligned
 * 112x112 crops. Identities are fresh draws of the 10 identity factors from a seed no generator
 * uses, one identity (or two) per pair, so none is an identity of any demo dataset.
 * <ul>
 * <li>same identity: the identity factors kept, all 8 nuisance factors (expression, brows,
 *     lighting, background, position) drawn anew;</li>
 * <li>different identity: new identity factors; for every second such pair the nuisance factors
 *     are kept (a hard impostor: the same photo conditions, only the person differs).</li>
 * </ul>
 * Each image is rendered at 128 px (the StyleGAN layouts' size) or 64 px (GANsformer's), at
 * random, and aligned as every run aligns its faces: the arcface plugin's fixed landmarks.
 * Pairs alternate same / different, so each of the 10 folds holds as many of each.
 */
final class DemoBenchmark {
    static final long SEED = 0x15_0003L;
    static final int PAIRS = 600;
    static final String FILE = "demo.bin";

    /** Raw (standardised) factors of the two faces of a pair, with the image sizes they are drawn at. */
    record Pair(double[] a, double[] b, boolean same, int sizeA, int sizeB) {}

    private DemoBenchmark() {}

    /** The pairs, deterministic from {@link #SEED}. */
    static List<Pair> pairs() {
        Random rnd = new Random(SEED);
        List<Pair> out = new ArrayList<>();
        for (int k = 0; k < PAIRS; k++) {
            boolean same = k % 2 == 0;
            double[] a = gaussian(rnd, DemoFace.K);
            double[] b = gaussian(rnd, DemoFace.K);
            if (same) {
                System.arraycopy(a, 0, b, 0, DemoFace.ID);
            } else if (k % 4 == 3) {
                System.arraycopy(a, DemoFace.ID, b, DemoFace.ID, DemoFace.K - DemoFace.ID);
            }
            out.add(new Pair(a, b, same, rnd.nextBoolean() ? 128 : 64, rnd.nextBoolean() ? 128 : 64));
        }
        return out;
    }

    /** The aligned crops of every pair's two faces, in .bin order (pair k: images 2k, 2k + 1). */
    static List<ImageBatch> crops(ModelHost host, Path workDir, List<Pair> pairs) {
        List<ImageBatch> out = new ArrayList<>();
        Path recognizer = DemoModels.dir().resolve("recognizer").resolve("demo_face.onnx");
        ModelOptions options = ModelOptions.DEFAULT.withBatchSize(64);
        try (Recognizer aligner = new ArcFaceProvider().open(new PluginContext(recognizer, null, host, options, PluginJson.READER));
                ModelSession r128 = host.open(DemoWorld.imageRenderer(128).write(workDir.resolve("render-128.onnx")), options);
                ModelSession r64 = host.open(DemoWorld.imageRenderer(64).write(workDir.resolve("render-64.onnx")), options)) {
            for (Pair p : pairs) {
                out.add(DemoIdentities.render(p.a(), p.sizeA() == 128 ? r128 : r64, aligner));
                out.add(DemoIdentities.render(p.b(), p.sizeB() == 128 ? r128 : r64, aligner));
            }
        }
        return out;
    }

    /** Writes {@code out/demo.bin}; returns its pairs. */
    static List<Pair> write(ModelHost host, Path out) throws IOException {
        List<Pair> pairs = pairs();
        Path work = Files.createTempDirectory("demo-benchmark");
        List<byte[]> encoded = new ArrayList<>();
        for (ImageBatch crop : crops(host, work, pairs)) {
            encoded.add(jpeg(crop));
        }
        boolean[] same = new boolean[pairs.size()];
        for (int k = 0; k < same.length; k++) {
            same[k] = pairs.get(k).same();
        }
        Files.createDirectories(out);
        InsightfaceBin.write(out.resolve(FILE), encoded, same);
        return pairs;
    }

    /** JPEG quality of the crops (insightface's .bin files hold JPEGs too; PNG would be 6 times larger). */
    static final float JPEG_QUALITY = 0.9f;

    static byte[] jpeg(ImageBatch crop) {
        java.awt.image.BufferedImage img = org.exfacegan.runner.dataset.Png.toImage(crop, 0);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }
}
