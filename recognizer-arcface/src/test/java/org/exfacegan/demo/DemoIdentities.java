package org.exfacegan.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.gan.Images;
import org.exfacegan.recognizer.arcface.ArcFaceProvider;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.dataset.Png;

/**
 * A training set of demo-world identities labelled by ground truth, drawn straight from the
 * factors (no GAN, no boundary): what a perfect synthetic-identity method could give, and knobs to
 * take it apart, so that what a GAN-made dataset lacks can be measured (docs/training.md). Written
 * as {@code images/<identity>/<k>.png|jpg}, aligned 112x112 crops as a run writes them.
 *
 * @param identities    identity folders
 * @param samples       images per identity
 * @param seed          all draws derive from it (use one the demo benchmark does not: it is fresh identities)
 * @param identityScale standard deviation of the identity factors (1: the demo world at psi 1, as the benchmark;
 *                      a GAN truncated with psi 0.7 gives about 0.7)
 * @param nuisanceScale standard deviation of the nuisance factors
 * @param nuisanceTie   share of the nuisance factors' variance that an identity's images share (0: drawn anew per
 *                      image; t: sqrt(t) of an identity-wide draw plus sqrt(1 - t) of a per-image one, so two images
 *                      of an identity differ in nuisance by sqrt(1 - t) of what two random faces do: a sampler that
 *                      keeps its reference's pose and light ties them)
 * @param identityNoise standard deviation of noise added to the identity factors per image (0: every image shows
 *                      exactly its identity; a sampler that drifts from its reference adds some)
 * @param sizes         render sizes: "128", "64" or "mix" (each image at random, as the benchmark)
 * @param jpeg          JPEG (quality as the benchmark's) instead of PNG
 */
record DemoIdentities(int identities, int samples, long seed, double identityScale, double nuisanceScale, double nuisanceTie,
                      double identityNoise, String sizes, boolean jpeg) {

    /** From system properties {@code exfacegan.gt.*} (defaults: 100 x 24, seed 1, scales 1, noise 0, mix, jpeg). */
    static DemoIdentities fromProperties() {
        return new DemoIdentities(Integer.getInteger("exfacegan.gt.identities", 100), Integer.getInteger("exfacegan.gt.samples", 24),
                Long.getLong("exfacegan.gt.seed", 1), dbl("exfacegan.gt.identity_scale", 1), dbl("exfacegan.gt.nuisance_scale", 1),
                dbl("exfacegan.gt.nuisance_tie", 0), dbl("exfacegan.gt.identity_noise", 0), System.getProperty("exfacegan.gt.sizes", "mix"),
                Boolean.parseBoolean(System.getProperty("exfacegan.gt.jpeg", "true")));
    }

    private static double dbl(String name, double dflt) {
        String v = System.getProperty(name);
        return v == null ? dflt : Double.parseDouble(v);
    }

    /** Writes {@code out/images/...}; returns the images folder. */
    Path write(ModelHost host, Path out) throws IOException {
        if (!sizes.equals("mix") && !sizes.equals("128") && !sizes.equals("64")) {
            throw new IllegalArgumentException("sizes: 128, 64 or mix, got " + sizes);
        }
        Random rnd = new Random(seed);
        Path images = Files.createDirectories(out.resolve("images"));
        Path work = Files.createTempDirectory("demo-identities");
        Path recognizer = DemoModels.dir().resolve("recognizer").resolve("demo_face.onnx");
        ModelOptions options = ModelOptions.DEFAULT.withBatchSize(64);
        try (Recognizer aligner = new ArcFaceProvider().open(new PluginContext(recognizer, null, host, options, PluginJson.READER));
             ModelSession r128 = host.open(DemoWorld.imageRenderer(128).write(work.resolve("render-128.onnx")), options);
             ModelSession r64 = host.open(DemoWorld.imageRenderer(64).write(work.resolve("render-64.onnx")), options)) {
            for (int id = 0; id < identities; id++) {
                double[] identity = new double[DemoFace.ID];
                for (int k = 0; k < identity.length; k++) {
                    identity[k] = identityScale * rnd.nextGaussian();
                }
                double[] tied = new double[DemoFace.K - DemoFace.ID];
                for (int k = 0; k < tied.length && nuisanceTie > 0; k++) { // no draw when untied: other settings keep their faces
                    tied[k] = Math.sqrt(nuisanceTie) * rnd.nextGaussian();
                }
                Path dir = Files.createDirectories(images.resolve(String.format(Locale.ROOT, "%05d", id)));
                for (int s = 0; s < samples; s++) {
                    double[] raw = new double[DemoFace.K];
                    for (int k = 0; k < DemoFace.ID; k++) {
                        raw[k] = identity[k] + identityNoise * rnd.nextGaussian();
                    }
                    for (int k = DemoFace.ID; k < DemoFace.K; k++) {
                        raw[k] = nuisanceScale * (tied[k - DemoFace.ID] + Math.sqrt(1 - nuisanceTie) * rnd.nextGaussian());
                    }
                    boolean small = sizes.equals("64") || (sizes.equals("mix") && rnd.nextBoolean());
                    ImageBatch crop = render(raw, small ? r64 : r128, aligner);
                    String name = String.format(Locale.ROOT, "%04d.%s", s, jpeg ? "jpg" : "png");
                    Files.write(dir.resolve(name), jpeg ? DemoBenchmark.jpeg(crop) : Png.encode(crop, 0));
                }
            }
        }
        return images;
    }

    static ImageBatch render(double[] raw, ModelSession renderer, Recognizer aligner) {
        float[] u = new float[DemoFace.K];
        for (int k = 0; k < u.length; k++) {
            u[k] = (float) (1 / (1 + Math.exp(-DemoFace.SQUASH * raw[k])));
        }
        FloatTensor img = renderer.run(Map.of("u", FloatTensor.of(u, 1, DemoFace.K))).get("img");
        return aligner.embed(Images.toRgb8(img, false, false, -1, 1)).crops();
    }
}
