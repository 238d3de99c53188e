package org.exfacegan.backbone.gancontrol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.api.backbone.SubLatent;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.DemoWorldCheck;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/export/gancontrol_export.py end to end: it exports our own fixture of the official
 * GAN-Control generator (tools/fixtures/gan_control) with PyTorch, and the plugin must reproduce
 * PyTorch's mapping and truncated images from the ONNX files (ONNX Runtime) and from the
 * TorchScript files (DJL). Skipped, saying so, where no python3 with PyTorch is installed
 * (Debian: apt-get install python3-torch).
 */
class GanControlExportTest {
    @TempDir
    Path dir;

    /** A python3 that imports torch, or null. */
    private static String pythonWithTorch() {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return null;
    }

    @Test
    @Tag("djl") // opens the TorchScript export too
    void exportedFixtureRunsInThePluginLikeInPyTorch() throws Exception {
        String python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no python3 with torch and numpy here: the export script was not run "
                + "(apt-get install python3-torch)");
        Path script = DemoWorldCheck.repositoryRoot().resolve("tools/export/gancontrol_export_test.py");
        ProcessBuilder run = new ProcessBuilder(python, script.toString(), "--out", dir.toString()).redirectErrorStream(true);
        run.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // leave no __pycache__ in the checkout
        Process p = run.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "export finished");
        assertEquals(0, p.exitValue(), out);
        System.out.println(out.lines().filter(l -> l.contains("max |diff|") || l.startsWith("note")).reduce("", (a, b) -> a + b + "\n"));

        float[] z = Npy.read(dir.resolve("reference/z.npy")).floats();
        float[] w = Npy.read(dir.resolve("reference/w.npy")).floats();
        float[] img = Npy.read(dir.resolve("reference/img.npy")).floats();
        int n = 5;
        int d = z.length / n;
        for (String descriptor : List.of("descriptor.json", "descriptor-torchscript.json")) {
            try (Backbone b = new GanControlProvider().open(new PluginContext(dir.resolve("export").resolve(descriptor),
                    new GanControlSettings(0.7, null, LatentSpace.W), DefaultModelHost.fromServiceLoader(), new ModelOptions(null, "cpu", 2, 1),
                    PluginJson.READER))) {
                assertEquals(List.of(new SubLatent("id", 0, 6), new SubLatent("expression", 6, 9), new SubLatent("other", 9, 12)),
                        b.layout().subLatents(), descriptor);
                FloatTensor mapped = b.map(FloatTensor.of(z, n, d));
                assertArrayEquals(w, mapped.data(), 1e-5f, descriptor + ": mapping");
                ImageBatch images = b.render(mapped); // truncation 0.7 on every copy, toward the exported w_avg
                int r = images.width();
                int worst = 0;
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 3; c++) {
                        for (int y = 0; y < r; y++) {
                            for (int x = 0; x < r; x++) {
                                float v = img[((i * 3 + c) * r + y) * r + x];
                                int expected = Math.max(0, Math.min(255, (int) (v * 127.5f + 128f)));
                                worst = Math.max(worst, Math.abs(expected - images.get(i, y, x, c)));
                            }
                        }
                    }
                }
                System.out.printf("%s: mapping within 1e-5, images within %d grey level(s) of PyTorch%n", descriptor, worst);
                assertTrue(worst <= 1, descriptor + ": images differ from PyTorch by up to " + worst + " grey levels");
            }
        }
    }
}
