package org.exfacegan.backbone.stylegan2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.OnnxWriter;
import org.exfacegan.api.testing.TinyGan;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synthesis exported with its noise as an input ([1, 1, R, R], added to every image): the plugin
 * feeds the descriptor's constant buffer (noise_mode "const", the default) or zeros ("none"), the
 * same to every sample of every (split) batch.
 */
class NoiseInputsTest {
    private static final TinyGan.Spec SPEC = new TinyGan.Spec("stylegan2", 0, 6, 5, 4, 4, 0);

    @TempDir
    Path dir;

    /** The tiny model, its synthesis replaced by img = tanh(flat(ws) W + noise_0), noise_0 [1, 1, R, R] from noise_0.npy. */
    @SuppressWarnings("unchecked")
    private Path model(float[] noise, long... noiseShape) {
        Map<String, Object> d = new TinyGan(SPEC).write(dir, new TinyGan.Options());
        int r = SPEC.resolution();
        int k = SPEC.wPlusSize();
        OnnxWriter g = new OnnxWriter("noisy_synthesis");
        g.input("ws", -1, SPEC.numWs(), SPEC.wDim());
        g.input("noise_0", 1, 1, r, r);
        g.initializer("W", weights(k, 3 * r * r), k, 3L * r * r);
        g.int64s("flat_shape", -1, k);
        g.int64s("img_shape", -1, 3, r, r);
        g.node("Reshape", List.of("ws", "flat_shape"), List.of("flat"));
        g.node("MatMul", List.of("flat", "W"), List.of("lin"));
        g.node("Reshape", List.of("lin", "img_shape"), List.of("planes"));
        g.node("Add", List.of("planes", "noise_0"), List.of("noisy"));
        g.node("Tanh", List.of("noisy"), List.of("img"));
        g.output("img", -1, 3, r, r);
        g.write(dir.resolve("noisy.onnx"));
        Npy.write(dir.resolve("noise_0.npy"), noise, noiseShape);
        Map<String, Object> synthesis = new LinkedHashMap<>();
        synthesis.put("onnx", Map.of("file", "noisy.onnx"));
        synthesis.put("noise_inputs", Map.of("noise_0", "noise_0.npy"));
        d.put("synthesis", synthesis);
        return TinyGan.writeDescriptor(dir.resolve("descriptor.json"), d);
    }

    private static float[] weights(int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = TinyGan.weight(3, i / cols, i % cols, 0.3);
        }
        return w;
    }

    private static Backbone open(Path descriptor, String noiseMode) {
        return new StyleGan2Provider().open(new PluginContext(descriptor, new StyleGan2Settings(0.7, 8, LatentSpace.W, noiseMode),
                DefaultModelHost.fromServiceLoader(), new ModelOptions(null, "cpu", 2, 1), PluginJson.READER));
    }

    /** What the graph draws for w+ with noise {@code noise} (null: none), as 8-bit values. */
    private static int[] expected(float[] wPlus, int n, float[] noise) {
        int r = SPEC.resolution();
        int k = SPEC.wPlusSize();
        float[] w = weights(k, 3 * r * r);
        int[] out = new int[n * 3 * r * r];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3 * r * r; c++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += (double) wPlus[i * k + j] * w[j * 3 * r * r + c];
                }
                double v = Math.tanh(s + (noise == null ? 0 : noise[c % (r * r)]));
                out[i * 3 * r * r + c] = Math.max(0, Math.min(255, (int) Math.floor(v * 127.5 + 128)));
            }
        }
        return out;
    }

    @Test
    void constantNoiseOrZerosReachEverySample() {
        int r = SPEC.resolution();
        float[] noise = new float[r * r];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) Math.sin(1.7 * i) * 0.8f;
        }
        Path descriptor = model(noise, 1, 1, r, r);
        for (String mode : new String[] {null, "const", "none"}) {
            try (Backbone b = open(descriptor, mode)) {
                FloatTensor plus = b.truncate(b.map(b.sampleZ(3, 0, 5))); // 5 samples: batches of 2, 2 and 1
                ImageBatch img = b.synthesize(plus);
                int[] want = expected(plus.data(), 5, "none".equals(mode) ? null : noise);
                int worst = 0;
                for (int i = 0; i < 5; i++) {
                    for (int c = 0; c < 3; c++) {
                        for (int p = 0; p < r * r; p++) {
                            worst = Math.max(worst, Math.abs(want[(i * 3 + c) * r * r + p] - img.get(i, p / r, p % r, c)));
                        }
                    }
                }
                assertTrue(worst <= 1, "noise_mode " + mode + ": pixels off by " + worst);
            }
        }
    }

    @Test
    void noiseOptionsAndBuffersAreChecked() {
        int r = SPEC.resolution();
        Path wrongShape = model(new float[(r + 1) * (r + 1)], 1, 1, r + 1, r + 1);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(wrongShape, null));
        assertTrue(e.getMessage().contains("noise_0") && e.getMessage().contains("[1, 1, 5, 5]")
                && e.getMessage().contains("noisy.onnx"), e.getMessage());
        Path plain = new TinyGan(SPEC).writeAll(dir.resolve("plain"), new TinyGan.Options());
        e = assertThrows(ExfaceganException.class, () -> open(plain, "none"));
        assertTrue(e.getMessage().startsWith("backbone option noise_mode \"none\"") && e.getMessage().contains(plain.toString())
                && e.getMessage().contains("synthesis.noise_inputs"), e.getMessage());
        try (Backbone b = open(plain, null)) {
            assertEquals(r, b.layout().resolution(), "noise as exported: no option needed");
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new StyleGan2Settings(0.7, 8, LatentSpace.W, "random"));
        assertTrue(bad.getMessage().contains("noise_mode"), bad.getMessage());
    }
}
