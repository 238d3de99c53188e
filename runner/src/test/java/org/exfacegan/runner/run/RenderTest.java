package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.testing.TinyWorld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exfacegan render on the tiny world: the images a run makes, from seeds or latent files, and clear errors. */
class RenderTest {
    @TempDir
    Path dir;

    private Path config;
    private Path run;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void runTinyWorld() throws IOException {
        config = TinyRuns.config(dir, "run", "", 16);
        TinyRuns.run(config);
        run = dir.resolve("run");
    }

    private int render(String... args) {
        List<String> all = new ArrayList<>(List.of("render", "-q", config.toString(), "--plugins", dir.resolve("no-plugins").toString()));
        all.addAll(List.of(args));
        return Cli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    }

    @Test
    void imageOfSeedSIsTheRunsProbeS() throws IOException {
        // the tiny recogniser does not align, so a reference crop is the probe's full image
        List<String> manifest = Files.readAllLines(run.resolve("manifest.jsonl"));
        int[] refs = new int[6];
        for (String line : manifest) {
            var n = Json.MAPPER.readTree(line);
            refs[n.get("identity").asInt()] = n.get("reference").asInt();
        }
        StringBuilder list = new StringBuilder();
        for (int r : refs) {
            list.append(list.length() == 0 ? "" : ",").append(r);
        }
        assertEquals(0, render("--seeds", list.toString(), "--out", dir.resolve("r").toString()), err.toString());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(pixels(run.resolve(String.format("references/%05d.png", i))),
                    pixels(dir.resolve(String.format("r/seed%04d.png", refs[i]))), "identity " + i + ", probe " + refs[i]);
        }
        assertTrue(out.toString().contains("rendered 6 images of 8x8 (tiny-gan, probes "), out.toString());
        assertTrue(out.toString().contains(" of seed 11) to " + dir.resolve("r")), out.toString());
        BufferedImage grid = ImageIO.read(dir.resolve("r/grid.png").toFile());
        assertEquals(3 * 8, grid.getWidth()); // 6 cells: 3 columns x 2 rows of 8 px
        assertEquals(2 * 8, grid.getHeight());
        // an experiment config: what render leaves out is said
        assertTrue(err.toString().contains("note: render reads only the backbone section and seed of " + config
                + "; ignored: name, output, recognizer, probes, identities, samples_per_identity"), err.toString());
    }

    @Test
    void latentFilesInEverySpaceRenderTheSameImagesAsSeeds() throws IOException {
        assertEquals(0, render("--seeds", "3,5,9", "--out", dir.resolve("s").toString()), err.toString());
        for (String[] c : new String[][] {{"probe/z.npy", "z"}, {"probe/w.npy", "w"}, {"probe/latents.npy", "fit"}}) {
            Path o = dir.resolve("l-" + c[1]);
            assertEquals(0, render("--latents", run.resolve(c[0]).toString(), "--space", c[1], "--rows", "3,5,9",
                    "--out", o.toString()), err.toString());
            for (int s : new int[] {3, 5, 9}) {
                assertArrayEquals(pixels(dir.resolve(String.format("s/seed%04d.png", s))),
                        pixels(o.resolve(String.format("latent%04d.png", s))), c[1] + " row " + s);
            }
        }
        // w+ is the synthesis input: the tiny world has one w copy, so w+ rows are [1, 12]
        float[] w = Npy.read(run.resolve("probe/w.npy")).floats();
        Path plus = dir.resolve("wplus.npy");
        Npy.write(plus, java.util.Arrays.copyOfRange(w, 3 * TinyWorld.DIM, 4 * TinyWorld.DIM), 1, 1, TinyWorld.DIM);
        assertEquals(0, render("--latents", plus.toString(), "--space", "w+", "--out", dir.resolve("p").toString()), err.toString());
        assertArrayEquals(pixels(dir.resolve("s/seed0003.png")), pixels(dir.resolve("p/latent0000.png")));
        // float64 files (NumPy's default) are accepted
        Path doubles = dir.resolve("w64.npy");
        double[] d = new double[TinyWorld.DIM];
        for (int j = 0; j < d.length; j++) {
            d[j] = w[5 * TinyWorld.DIM + j];
        }
        Npy.write(doubles, d, 1, TinyWorld.DIM);
        assertEquals(0, render("--latents", doubles.toString(), "--space", "w", "--out", dir.resolve("d").toString()), err.toString());
        assertArrayEquals(pixels(dir.resolve("s/seed0005.png")), pixels(dir.resolve("d/latent0000.png")));
    }

    @Test
    void aBackboneSectionAloneRendersWithoutARecognizerAndSeedZero() throws IOException {
        Path section = Files.writeString(dir.resolve("gan.json"), "{\"type\": \"tiny-gan\", \"model\": \"tiny.model\"}");
        config = section;
        assertEquals(0, render("--seeds", "0-1", "--out", dir.resolve("a").toString()), err.toString());
        assertEquals("", err.toString());
        assertEquals(0, render("--seeds", "0-1", "--seed", "0", "--out", dir.resolve("b").toString()), err.toString());
        assertArrayEquals(pixels(dir.resolve("a/seed0001.png")), pixels(dir.resolve("b/seed0001.png")));
        assertEquals(0, render("--seeds", "0-1", "--seed", "11", "--out", dir.resolve("c").toString()), err.toString());
        assertFalse(java.util.Arrays.equals(pixels(dir.resolve("a/seed0001.png")), pixels(dir.resolve("c/seed0001.png"))));
        // an experiment config whose recogniser model is missing still renders: only the backbone is read
        config = TinyRuns.config(dir, "other", "", 16);
        Files.writeString(config, Files.readString(config).replace("\"recognizer\": {\"type\": \"tiny-face\", \"model\": \"tiny.model\"}",
                "\"recognizer\": {\"type\": \"no-such-recognizer\", \"model\": \"missing.onnx\"}"));
        assertEquals(0, render("--seeds", "1", "--out", dir.resolve("e").toString()), err.toString());
        assertArrayEquals(pixels(dir.resolve("c/seed0001.png")), pixels(dir.resolve("e/seed0001.png")));
    }

    @Test
    void usageAndShapeErrorsExitWith2NamingWhatIsWrongAndWriteNothing() throws IOException {
        Path o = dir.resolve("x");
        expect(2, "give either --seeds LIST or --latents FILE.npy", "--out", o.toString());
        expect(2, "give either --seeds LIST or --latents FILE.npy", "--seeds", "1", "--latents", "a.npy", "--space", "z", "--out", o.toString());
        expect(2, "--latents needs --space z|w|w+|fit", "--latents", run.resolve("probe/z.npy").toString(), "--out", o.toString());
        expect(2, "unknown latent space \"W\"; one of: z, w, w+, fit", "--latents", run.resolve("probe/z.npy").toString(), "--space", "W", "--out", o.toString());
        expect(2, "\"4-1\" runs backwards", "--seeds", "4-1", "--out", o.toString());
        expect(2, "--rows applies to --latents only", "--seeds", "1", "--rows", "1", "--out", o.toString());
        expect(2, "--truncation-psi does not apply to --space w+", "--latents", "a.npy", "--space", "w+", "--truncation-psi", "1",
                "--out", o.toString());
        // tiny-gan has no truncation option: the override names the provider and the option
        expect(2, "--truncation-psi: backbone \"tiny-gan\" (config " + config + ") has no option truncation_psi",
                "--seeds", "1", "--truncation-psi", "0.5", "--out", o.toString());
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, new float[10], 2, 5);
        expect(2, "latents " + bad + ": shape [2, 5] does not fit the w space of backbone tiny-gan: expected [n, 12]",
                "--latents", bad.toString(), "--space", "w", "--out", o.toString());
        Npy.write(bad, new float[12], 12);
        expect(2, "a single latent needs the batch axis too", "--latents", bad.toString(), "--space", "z", "--out", o.toString());
        Npy.write(bad, new float[24], 2, 1, 12);
        expect(2, "does not fit the z space of backbone tiny-gan: expected [n, 12]; that shape fits --space w+",
                "--latents", bad.toString(), "--space", "z", "--out", o.toString());
        float[] nan = new float[24];
        nan[13] = Float.NaN;
        Npy.write(bad, nan, 2, 12);
        expect(2, "latents " + bad + ": row 1 holds NaN", "--latents", bad.toString(), "--space", "z", "--out", o.toString());
        expect(2, "--rows: row 300 is outside latents " + run.resolve("probe/z.npy") + " (300 rows: 0-299)",
                "--latents", run.resolve("probe/z.npy").toString(), "--space", "z", "--rows", "0-20,300", "--out", o.toString());
        assertFalse(Files.exists(o.resolve("latent0000.png")), "rows are checked before anything is rendered");
        Files.writeString(dir.resolve("file"), "x");
        expect(2, "--out: " + dir.resolve("file") + " is a file", "--seeds", "1", "--out", dir.resolve("file").toString());
    }

    private void expect(int code, String message, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(code, render(args), err.toString());
        assertTrue(err.toString().contains(message), "expected \"" + message + "\" in: " + err);
        assertFalse(err.toString().contains("at org."), "no stack trace: " + err);
    }

    private static int[] pixels(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
