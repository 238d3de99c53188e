package org.exfacegan.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.backbone.gansformer.GansformerProvider;
import org.exfacegan.backbone.stylegan2.StyleGan2Provider;
import org.exfacegan.backbone.stylegan3.StyleGan3Provider;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;

/**
 * Compares an export with the PyTorch outputs its script saved ({@code --save-reference DIR}: z, w,
 * ws, img, img_official and for StyleGAN3 transform, img_transform). Two levels:
 * <ul>
 *   <li>{@link #throughPlugin}: the descriptor opened by its backbone plugin, as a run opens it
 *       (mapping, truncation, synthesis to 8-bit images);</li>
 *   <li>{@link #graph}: one graph file run directly on a runtime, float outputs (for inputs the
 *       plugin does not feed, like StyleGAN3's transform).</li>
 * </ul>
 * {@link #main} prints both for hand verification of an export of the official code.
 */
public final class ExportParity {
    static final DefaultModelHost HOST = DefaultModelHost.fromServiceLoader();

    private ExportParity() {}

    /**
     * What a plugin computed vs PyTorch: max |diff| of w and of the truncated w+, and of the 8-bit
     * images the largest difference in grey levels and the share of values that differ at all.
     */
    public record Figures(String runtime, double mapping, double truncation, Pixels pixels, Pixels official) {
        @Override
        public String toString() {
            return String.format("%-12s mapping %.3g, truncation %.3g, images vs PyTorch %s, vs official G(z) %s",
                    runtime, mapping, truncation, pixels, official == null ? "(no official image at this psi)" : official);
        }
    }

    /** Largest difference in grey levels and the share of 8-bit values that differ. */
    public record Pixels(int maxGreyLevels, double fractionDiffering) {
        @Override
        public String toString() {
            return String.format("max %d grey level(s) on %.4f%% of values", maxGreyLevels, 100 * fractionDiffering);
        }
    }

    /**
     * Opens {@code descriptor} with {@code provider} on {@code runtime} (truncation as the reference
     * was made: its psi, cutoff 8) in batches of {@code batchSize}, and compares map(z), truncate(w)
     * and synthesize(ws) with the reference.
     */
    public static Figures throughPlugin(BackboneProvider provider, Path descriptor, Path reference, String runtime,
            int batchSize) {
        return throughPlugin(provider, descriptor, reference, runtime, batchSize, "", "img", "img_official");
    }

    /**
     * The same with more plugin options ({@code moreOptions}: JSON members, e.g. StyleGAN3's
     * {@code "rotate": 30}), comparing the images with the reference's {@code image} and
     * {@code officialImage} arrays.
     */
    public static Figures throughPlugin(BackboneProvider provider, Path descriptor, Path reference, String runtime,
            int batchSize, String moreOptions, String image, String officialImage) {
        JsonNode info = json(reference.resolve("reference.json"));
        String settingsJson = String.format("{\"truncation_psi\": %s, \"truncation_cutoff\": %d%s}",
                info.get("psi").asText(), info.get("cutoff").asInt(), moreOptions.isEmpty() ? "" : ", " + moreOptions);
        Object settings;
        try {
            settings = Json.MAPPER.readValue(settingsJson, provider.settingsType()); // as the host binds options
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelOptions options = new ModelOptions(runtime, "cpu", batchSize, 1);
        try (Backbone b = provider.open(new PluginContext(descriptor, settings, HOST, options, PluginJson.READER))) {
            FloatTensor w = b.map(read(reference, "z"));
            double mapping = maxDiff(w, read(reference, "w"));
            double truncation = maxDiff(b.truncate(w), read(reference, "ws"));
            ImageBatch images = b.synthesize(read(reference, "ws"));
            Pixels pixels = pixels(images, read(reference, image));
            Pixels official = Files.exists(reference.resolve(officialImage + ".npy"))
                    && info.path("official_psi").asDouble() == info.get("psi").asDouble()
                    ? pixels(images, read(reference, officialImage)) : null;
            return new Figures(runtime, mapping, truncation, pixels, official);
        }
    }

    /**
     * Runs one graph file on {@code runtime} with {@code inputs} (the first one batched; a static
     * batch is fed in padded chunks) and returns its first output for the rows of the first input.
     */
    public static FloatTensor graph(Path model, String runtime, Map<String, FloatTensor> inputs, int staticBatch) {
        ModelOptions options = new ModelOptions(runtime, "cpu", 64, 1);
        try (ModelSession s = HOST.select(model, runtime).open(model, options)) {
            String batched = inputs.keySet().iterator().next();
            FloatTensor x = inputs.get(batched);
            int n = (int) x.dim(0);
            int chunk = staticBatch > 0 ? staticBatch : n;
            String output = s.outputs().get(0).name();
            float[] out = null;
            long[] shape = null;
            for (int from = 0; from < n; from += chunk) {
                Map<String, FloatTensor> feed = new LinkedHashMap<>(inputs);
                feed.put(batched, padded(x, from, chunk));
                FloatTensor y = s.run(feed).get(output);
                int item = y.itemSize();
                if (out == null) {
                    shape = y.shape().clone();
                    shape[0] = n;
                    out = new float[n * item];
                }
                int rows = Math.min(chunk, n - from);
                System.arraycopy(y.data(), 0, out, from * item, rows * item);
            }
            return new FloatTensor(shape, out);
        }
    }

    /** Rows from..from+chunk-1 of x, the last real row repeated past its end. */
    private static FloatTensor padded(FloatTensor x, int from, int chunk) {
        int n = (int) x.dim(0);
        int item = x.itemSize();
        float[] data = new float[chunk * item];
        for (int i = 0; i < chunk; i++) {
            System.arraycopy(x.data(), Math.min(from + i, n - 1) * item, data, i * item, item);
        }
        long[] shape = x.shape().clone();
        shape[0] = chunk;
        return new FloatTensor(shape, data);
    }

    /** The stylegan3 plugin options of the reference's rotated transform: {@code "rotate": .., "translate": [..]}. */
    public static String rotation(Path reference) {
        JsonNode info = json(reference.resolve("reference.json"));
        if (!info.path("rotate").isNumber() || !info.path("translate").isArray()) {
            throw new IllegalArgumentException(reference.resolve("reference.json") + " has no rotate/translate of a transform");
        }
        return "\"rotate\": " + info.get("rotate") + ", \"translate\": " + info.get("translate");
    }

    /** reference/NAME.npy as a float tensor. */
    public static FloatTensor read(Path reference, String name) {
        Npy.Array a = Npy.read(reference.resolve(name + ".npy"));
        return new FloatTensor(a.shape(), a.floats());
    }

    public static JsonNode json(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double maxDiff(FloatTensor a, FloatTensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new AssertionError("shape " + FloatTensor.shapeString(a.shape()) + " vs PyTorch's "
                    + FloatTensor.shapeString(b.shape()));
        }
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs((double) a.data()[i] - b.data()[i]));
        }
        return max;
    }

    /** The plugin's 8-bit images vs PyTorch's [n, 3, R, R] floats in [-1, 1] converted as the plugins document. */
    public static Pixels pixels(ImageBatch images, FloatTensor reference) {
        int n = images.count();
        int h = images.height();
        int w = images.width();
        if (reference.dim(0) != n || reference.dim(2) != h || reference.dim(3) != w) {
            throw new AssertionError(n + " images of " + h + "x" + w + " vs PyTorch's " + FloatTensor.shapeString(reference.shape()));
        }
        int max = 0;
        long differing = 0;
        float[] r = reference.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int d = Math.abs(images.get(i, y, x, c) - grey(r[((i * 3 + c) * h + y) * w + x]));
                        max = Math.max(max, d);
                        differing += d > 0 ? 1 : 0;
                    }
                }
            }
        }
        return new Pixels(max, differing / (double) (3L * n * h * w));
    }

    /** docs/backbones/descriptor.md: floor((x - low) * 255 / (high - low) + 0.5), clamped, for [-1, 1]. */
    static int grey(float x) {
        return (int) Math.max(0, Math.min(255, Math.floor((x + 1.0) * 127.5 + 0.5)));
    }

    static BackboneProvider provider(String backbone) {
        return switch (backbone) {
            case "stylegan2" -> new StyleGan2Provider();
            case "stylegan3" -> new StyleGan3Provider();
            case "gansformer" -> new GansformerProvider();
            default -> throw new IllegalArgumentException("no plugin for backbone '" + backbone + "'");
        };
    }

    /**
     * Hand verification: {@code ExportParity DESCRIPTOR REFERENCE_DIR} prints, for every format in
     * the descriptor, the figures through the plugin (when it opens the descriptor) and the float
     * max |diff| of each graph run directly (with StyleGAN3's transform, identity and rotated).
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ExportParity DESCRIPTOR REFERENCE_DIR");
            System.exit(2);
        }
        Path descriptor = Path.of(args[0]).toAbsolutePath();
        Path reference = Path.of(args[1]).toAbsolutePath();
        JsonNode d = json(descriptor);
        System.out.println("export " + descriptor + ", exported by torch " + d.path("source").path("torch").asText()
                + " with the " + d.path("source").path("onnx_exporter").asText() + " ONNX exporter");
        for (String format : List.of("onnx", "torchscript")) {
            if (!d.path("synthesis").has(format)) {
                continue;
            }
            String runtime = format.equals("onnx") ? "onnxruntime" : "djl-pytorch";
            for (String role : List.of("mapping", "synthesis")) {
                JsonNode entry = d.path(role).path(format);
                Path file = descriptor.resolveSibling(entry.path("file").asText());
                int staticBatch = entry.path("static_batch").asInt(0);
                if (role.equals("mapping")) {
                    FloatTensor got = graph(file, runtime, Map.of("z", read(reference, "z")), staticBatch);
                    System.out.printf("%-12s %s: w max |diff| %.3g%n", runtime, role, maxDiff(got, read(reference, "w")));
                    continue;
                }
                String transform = d.path("synthesis").path("transform_input").asText(null);
                Map<String, FloatTensor> in = new LinkedHashMap<>();
                in.put("ws", read(reference, "ws"));
                if (transform != null) {
                    in.put(transform, FloatTensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3));
                }
                double diff = maxDiff(graph(file, runtime, in, staticBatch), read(reference, "img"));
                System.out.printf("%-12s %s: img max |diff| %.3g (%.3g grey levels)%n", runtime, role, diff, diff * 127.5);
                if (transform != null) {
                    in.put(transform, read(reference, "transform"));
                    diff = maxDiff(graph(file, runtime, in, staticBatch), read(reference, "img_transform"));
                    System.out.printf("%-12s %s, rotated transform: img max |diff| %.3g (%.3g grey levels)%n", runtime, role,
                            diff, diff * 127.5);
                }
            }
            BackboneProvider provider = provider(d.path("backbone").asText());
            System.out.println(throughPlugin(provider, descriptor, reference, runtime, 8));
            if (d.path("synthesis").has("transform_input")) {
                System.out.println("  with " + rotation(reference) + ": "
                        + throughPlugin(provider, descriptor, reference, runtime, 8, rotation(reference), "img_transform",
                                "img_transform_official"));
            }
        }
    }
}
