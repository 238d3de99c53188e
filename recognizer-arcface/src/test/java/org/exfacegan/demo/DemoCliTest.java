package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line tools on a demo-world run (real stylegan2 and arcface plugins, ONNX Runtime):
 * verify / embed on the dataset's own 112x112 crops, and render.
 */
class DemoCliTest {
    @TempDir
    static Path dir;

    static Path config;
    static Path run;

    @BeforeAll
    static void demoRun() throws IOException {
        config = DemoRuns.quickstart(dir, 600, 4, 4);
        DemoRuns.run(dir, config);
        run = dir.resolve("run");
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-q", "--plugins", dir.resolve("no-plugins").toString()));
        assertEquals(0, Cli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new)), err.toString());
        return out.toString().strip();
    }

    private double verify(String a, String b, String... options) {
        List<String> args = new ArrayList<>(List.of("verify", config.toString(), run.resolve(a).toString(), run.resolve(b).toString()));
        args.addAll(List.of(options));
        return Double.parseDouble(cli(args.toArray(String[]::new)));
    }

    @Test
    void verifyAlignedGivesTheManifestSimilarityAndTellsIdentitiesApart() throws IOException {
        JsonNode line = null;
        for (String l : Files.readAllLines(run.resolve("manifest.jsonl"))) {
            JsonNode n = ConfigLoader.MAPPER.readTree(l);
            if (n.get("identity").asText().equals("00000") && n.get("index").asInt() == 1) {
                line = n;
            }
        }
        double manifest = line.get("similarity").asDouble();
        double aligned = verify("references/00000.png", "images/00000/0001.png", "--aligned");
        double auto = verify("references/00000.png", "images/00000/0001.png");
        assertTrue(err.toString().contains("is 112x112, the recognizer's input size: embedded as an aligned crop"), err.toString());
        double realigned = verify("references/00000.png", "images/00000/0001.png", "--no-aligned");
        double otherAligned = verify("references/00000.png", "references/00001.png", "--aligned");
        double otherRealigned = verify("references/00000.png", "references/00001.png", "--no-aligned");
        System.out.printf("demo verify: manifest %.6f, --aligned %.4f, default %.4f, --no-aligned (re-aligned crops) %.4f; "
                + "two identities --aligned %.4f, --no-aligned %.4f%n", manifest, aligned, auto, realigned, otherAligned, otherRealigned);
        assertEquals(manifest, aligned, 1e-4); // printed with 4 decimals
        assertEquals(aligned, auto, 0);
        assertTrue(otherAligned < manifest - 0.2, "different identities " + otherAligned + " vs same " + manifest);
    }

    @Test
    void embedAlignedAgreesWithVerify() throws IOException {
        Path npy = dir.resolve("e.npy");
        cli("embed", config.toString(), run.resolve("references/00002.png").toString(),
                run.resolve("images/00002/0003.png").toString(), "--aligned", "--npy", npy.toString());
        assertEquals(2, out.toString().lines().count());
        float[] e = org.exfacegan.npy.Npy.read(npy).floats();
        double cos = 0;
        for (int j = 0; j < e.length / 2; j++) {
            cos += e[j] * (double) e[e.length / 2 + j];
        }
        assertEquals(verify("references/00002.png", "images/00002/0003.png", "--aligned"), cos, 1e-4);
    }

    @Test
    void renderSeedsAndLatentFilesGiveTheSameFullResolutionImages() throws IOException {
        cli("render", config.toString(), "--seeds", "0-3", "--out", dir.resolve("seeds").toString());
        cli("render", config.toString(), "--latents", run.resolve("probe/w.npy").toString(), "--space", "w", "--rows", "0-3",
                "--out", dir.resolve("w").toString());
        cli("render", config.toString(), "--latents", run.resolve("probe/z.npy").toString(), "--space", "z", "--rows", "0-3",
                "--out", dir.resolve("z").toString());
        for (int s = 0; s < 4; s++) {
            int[] seed = pixels(dir.resolve(String.format("seeds/seed%04d.png", s)));
            assertEquals(128 * 128, seed.length); // the demo generator's full resolution
            assertArrayEquals(seed, pixels(dir.resolve(String.format("w/latent%04d.png", s))), "w row " + s);
            assertArrayEquals(seed, pixels(dir.resolve(String.format("z/latent%04d.png", s))), "z row " + s);
        }
        BufferedImage grid = ImageIO.read(dir.resolve("seeds/grid.png").toFile());
        assertEquals(256, grid.getWidth()); // 2 x 2 cells of 128 px
        assertEquals(256, grid.getHeight());

        // --truncation-psi overrides the config's option: the same images as a config saying so
        cli("render", config.toString(), "--seeds", "0-3", "--truncation-psi", "1", "--out", dir.resolve("psi1").toString());
        assertFalse(java.util.Arrays.equals(pixels(dir.resolve("seeds/seed0002.png")), pixels(dir.resolve("psi1/seed0002.png"))));
        ObjectNode cfg = (ObjectNode) ConfigLoader.MAPPER.readTree(config.toFile());
        ((ObjectNode) cfg.get("backbone").get("options")).put("truncation_psi", 1.0);
        Path psiConfig = Files.writeString(dir.resolve("psi1.json"), ConfigLoader.toJson(cfg));
        cli("render", psiConfig.toString(), "--seeds", "0-3", "--out", dir.resolve("psi1-config").toString());
        assertArrayEquals(pixels(dir.resolve("psi1/seed0002.png")), pixels(dir.resolve("psi1-config/seed0002.png")));
    }

    private static int[] pixels(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
