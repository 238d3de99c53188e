package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.testing.TinyWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampling modes through the whole pipeline: the subspace default on a world built
 * independently of the demo world, the in-distribution guard in the manifest, summary and
 * warnings, the out-of-distribution filter, paper mode's mirrored second identity and its
 * distance unit, and the probes_used limit.
 */
class SamplingRunTest {
    @TempDir
    Path dir;

    /** Info lines a run printed. */
    private static final class Recording implements Progress {
        final List<String> lines = new ArrayList<>();

        @Override
        public Stage stage(String name, long total, long done, String unit) {
            return QUIET.stage(name, total, done, unit);
        }

        @Override
        public void info(String line) {
            lines.add(line);
        }
    }

    private Path entangled(String output, String sampling) throws IOException {
        Files.writeString(dir.resolve("none.model"), "entangled world");
        return Files.writeString(dir.resolve(output + ".json"), """
                {"name": "entangled", "seed": 7, "output": "%s",
                 "backbone": {"type": "entangled-gan", "model": "none.model"},
                 "recognizer": {"type": "entangled-face", "model": "none.model"},
                 "probes": 3000, "identities": 100, "samples_per_identity": 12%s}
                """.formatted(output, sampling));
    }

    private RunSummary run(Path config, Progress progress) {
        ResolvedConfig rc = new ConfigLoader(TinyRuns.registry()).load(config);
        return new Pipeline(rc, TinyRuns.registry(), progress).run();
    }

    @Test
    void subspaceDefaultKeepsIdentityVariesNuisanceAndStaysInDistributionOnAnotherWorld() throws IOException {
        Recording log = new Recording();
        RunSummary sub = run(entangled("subspace", ""), log);
        RunSummary dir2 = run(entangled("directional", ", \"sampling\": {\"mode\": \"directional\"}"), Progress.QUIET);
        Map<String, Double> g = sub.groundTruth();
        Map<String, Double> d = dir2.groundTruth();
        System.out.printf("entangled world: subspace id ratio %.3f nuisance %.3f outside %.3f (rank %d); directional %.3f %.3f %.3f%n",
                g.get("consistency_ratio"), g.get("nuisance_spread_ratio"), sub.outOfDistributionShare(), sub.identitySubspaceRank(),
                d.get("consistency_ratio"), d.get("nuisance_spread_ratio"), dir2.outOfDistributionShare());
        // the targets, on a world the method was not tuned on
        assertTrue(g.get("consistency_ratio") <= 0.30, g.toString());
        assertTrue(g.get("nuisance_spread_ratio") >= 0.80, g.toString());
        assertTrue(sub.outOfDistributionShare() <= 0.02, "outside " + sub.outOfDistributionShare());
        // and better than directional on every one of them
        assertTrue(g.get("consistency_ratio") < d.get("consistency_ratio"));
        assertTrue(g.get("nuisance_spread_ratio") > d.get("nuisance_spread_ratio"));
        assertTrue(sub.outOfDistributionShare() < dir2.outOfDistributionShare());
        assertTrue(dir2.outOfDistributionHigh(), "directional's isotropic noise leaves the distribution: " + dir2.outOfDistributionShare());

        JsonNode plan = json(dir.resolve("subspace/sampling.json"));
        JsonNode s = plan.get("identity_subspace");
        assertEquals(sub.identitySubspaceRank(), s.get("rank").asInt());
        assertEquals("cross-validated", s.get("chosen").asText());
        assertEquals(40, s.get("spectrum").size());
        assertEquals(41, s.get("held_out_capture").size());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("identity subspace: rank " + sub.identitySubspaceRank() + " of 40")),
                log.lines.toString());
        assertTrue(log.lines.stream().noneMatch(l -> l.startsWith("WARNING")), log.lines.toString());
    }

    @Test
    void manifestRecordsEachSamplesDistanceToTheProbeDistribution() throws IOException {
        RunSummary s = TinyRuns.run(TinyRuns.config(dir, "g", "", 16));
        JsonNode plan = json(dir.resolve("g/sampling.json"));
        double threshold = plan.path("guard").path("mahalanobis_threshold").asDouble();
        assertEquals(300, plan.path("guard").path("probes").asInt());
        assertEquals(threshold, s.mahalanobisThreshold(), 1e-12);
        // 12 dims: the 99th percentile of a chi distribution with 12 degrees of freedom is about 5.2
        assertTrue(threshold > 4 && threshold < 6.5, "threshold " + threshold);
        float[] latents = Npy.read(dir.resolve("g/latents.npy")).floats();
        float[] probes = Npy.read(dir.resolve("g/probe/latents.npy")).floats();
        var dist = org.exfacegan.runner.pipeline.sample.LatentDistribution.fit(probes, 300, TinyWorld.DIM, "probes");
        List<String> lines = Files.readAllLines(dir.resolve("g/manifest.jsonl"));
        int outside = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode m = ConfigLoader.MAPPER.readTree(lines.get(i));
            double mahal = m.get("mahalanobis").asDouble();
            assertEquals(dist.mahalanobis(latents, i * TinyWorld.DIM), mahal, 1e-3, "line " + i);
            assertEquals(mahal <= threshold, m.get("in_distribution").asBoolean());
            outside += m.get("in_distribution").asBoolean() ? 0 : 1;
        }
        assertEquals(outside, s.samplesOutOfDistribution());
        assertEquals((double) outside / s.samplesDrawn(), s.outOfDistributionShare(), 1e-12);
        JsonNode summary = json(dir.resolve("g/summary.json"));
        assertEquals(s.outOfDistributionShare(), summary.get("out_of_distribution_share").asDouble(), 1e-12);
        assertTrue(summary.get("ground_truth").has("nuisance_spread_ratio"));
    }

    @Test
    void farSamplesAreFlaggedWarnedAboutAndDroppedOnRequestCounted() throws IOException {
        Recording log = new Recording();
        Path far = TinyRuns.config(dir, "far", ", \"sampling\": {\"mode\": \"paper\", \"max_dist\": 30}", 16);
        RunSummary s = run(far, log);
        assertTrue(s.outOfDistributionShare() > 0.9, "paper at max_dist 30: " + s.outOfDistributionShare());
        assertTrue(s.outOfDistributionHigh());
        String warning = log.lines.stream().filter(l -> l.startsWith("WARNING:")).findFirst().orElseThrow(() ->
                new AssertionError("no warning in " + log.lines));
        assertTrue(warning.contains("% of the samples lie outside the probe latents' distribution"), warning);

        // dropping: at a distance where some candidates stay inside, only those are written, the rest counted
        Path drop = TinyRuns.config(dir, "drop", ", \"sampling\": {\"mode\": \"paper\", \"max_dist\": 4, "
                + "\"drop_out_of_distribution\": true}", 16);
        RunSummary kept = run(drop, Progress.QUIET);
        RunSummary flagged = run(TinyRuns.config(dir, "flag", ", \"sampling\": {\"mode\": \"paper\", \"max_dist\": 4}", 16),
                Progress.QUIET);
        assertTrue(flagged.samplesOutOfDistribution() > 0, "some outside at max_dist 4");
        assertTrue(flagged.samplesOutOfDistribution() < flagged.samplesDrawn(), "some inside at max_dist 4");
        assertEquals(0, flagged.samplesDroppedOutOfDistribution());
        assertTrue(kept.samplesDroppedOutOfDistribution() > 0);
        assertEquals(kept.samplesOutOfDistribution(), kept.samplesDroppedOutOfDistribution());
        for (String line : Files.readAllLines(dir.resolve("drop/manifest.jsonl"))) {
            assertTrue(ConfigLoader.MAPPER.readTree(line).get("in_distribution").asBoolean(), line);
        }
        int written = kept.images();
        assertEquals(kept.samplesDrawn() - kept.samplesDroppedOutOfDistribution(), written, "every other candidate was written");

        // all dropped: the identity cannot be written, and the error says why
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> run(TinyRuns.config(dir, "none",
                ", \"sampling\": {\"mode\": \"paper\", \"max_dist\": 60, \"drop_out_of_distribution\": true}", 16), Progress.QUIET));
        assertTrue(e.getMessage().contains("outside the probe distribution"), e.getMessage());
    }

    @Test
    void theOtherSideIsAnIdentityWithItsOwnMirroredReference() throws IOException {
        RunSummary s = TinyRuns.run(TinyRuns.config(dir, "both",
                ", \"sampling\": {\"mode\": \"paper\", \"max_dist\": 1, \"both_sides\": true}", 16));
        assertEquals(12, s.identities());
        Path out = dir.resolve("both");
        float[] probes = Npy.read(out.resolve("probe/latents.npy")).floats();
        float[] normals = Npy.read(out.resolve("boundaries.npy")).floats();
        float[] offsets = Npy.read(out.resolve("offsets.npy")).floats();
        int d = TinyWorld.DIM;
        for (int b = 0; b < 6; b++) {
            float[] ref = java.util.Arrays.copyOfRange(probes, b * d, (b + 1) * d); // references are probes 0..5
            float[] n = java.util.Arrays.copyOfRange(normals, b * d, (b + 1) * d);
            float[] mirror = IdentitySamplers.mirror(ref, n, offsets[b]);
            double before = org.exfacegan.runner.pipeline.sample.IdentitySampler.signedDistance(n, offsets[b], ref, 0);
            assertEquals(-before, org.exfacegan.runner.pipeline.sample.IdentitySampler.signedDistance(n, offsets[b], mirror, 0), 1e-4);
            // the other side's reference picture shows the mirrored latent, not the reference probe
            double[] own = decoded(out.resolve(String.format("references/%05d.png", 2 * b)));
            double[] other = decoded(out.resolve(String.format("references/%05d.png", 2 * b + 1)));
            assertArrayEquals(quantised(TinyWorld.factors(ref, 0)), own, 1e-9);
            assertArrayEquals(quantised(TinyWorld.factors(mirror, 0)), other, 1e-9);
            assertNotEquals(java.util.Arrays.toString(own), java.util.Arrays.toString(other));
            // the other side's similarities are to its own reference (what the tiny recogniser sees of both pictures)
            for (String line : Files.readAllLines(out.resolve(String.format("meta/%05d.jsonl", 2 * b + 1)))) {
                JsonNode m = ConfigLoader.MAPPER.readTree(line);
                assertEquals(-1, m.get("side").asInt());
                double[] sample = decoded(out.resolve(m.get("file").asText()));
                assertEquals(cosine(sample, other), m.get("similarity").asDouble(), 1e-5, line);
            }
        }
        // the ground truth leaves the other side out of the identity figures, and the nuisance spread keeps all
        assertTrue(s.groundTruth().containsKey("nuisance_spread_ratio"));
    }

    @Test
    void paperDistanceInSpreadsIsTheRawDistanceTimesEachBoundarysSpread() throws IOException {
        ResolvedConfig rc = TinyRuns.resolve(TinyRuns.config(dir, "units", ", \"sampling\": {\"mode\": \"paper\", "
                + "\"max_dist\": 2, \"max_dist_unit\": \"spread\"}", 16));
        TinyRuns.run(TinyRuns.config(dir, "units", ", \"sampling\": {\"mode\": \"paper\", \"max_dist\": 2, "
                + "\"max_dist_unit\": \"spread\"}", 16));
        Path out = dir.resolve("units");
        Npy.Array lat = Npy.read(out.resolve("probe/latents.npy"));
        ProbeSet probes = new ProbeSet(lat.floats(), TinyWorld.DIM, Npy.read(out.resolve("probe/embeddings.npy")).floats(),
                TinyWorld.ID_DIM, Npy.read(out.resolve("probe/accepted.npy")).booleans());
        float[] normals = Npy.read(out.resolve("boundaries.npy")).floats();
        Boundaries b = new Boundaries(6, TinyWorld.DIM, normals, Npy.read(out.resolve("offsets.npy")).floats(), new float[6], new float[6]);
        ExperimentConfig spread = rc.config();
        Identity id = new Identity(3, 3, 3, 1);
        double unit = IdentitySamplers.distanceSpread(probes, b, 3);
        ExperimentConfig raw = withSampling(spread, new org.exfacegan.runner.config.SamplingConfig("paper", 2 * unit, "raw", null,
                null, null, null, null, null, null, null, null, null));
        float[] a = IdentitySamplers.of(spread, probes, b, null, null).draw(id, 0, 5).latents();
        float[] r = IdentitySamplers.of(raw, probes, b, null, null).draw(id, 0, 5).latents();
        assertArrayEquals(r, a, 1e-5f);
        assertTrue(unit > 0.5 && unit < 2, "spread " + unit);
        float[] one = IdentitySamplers.of(withSampling(spread, new org.exfacegan.runner.config.SamplingConfig("paper", 2.0, "raw",
                null, null, null, null, null, null, null, null, null, null)), probes, b, null, null).draw(id, 0, 5).latents();
        assertFalse(java.util.Arrays.equals(one, a), "the unit changes the samples");
        // the manifest's latents are those draws
        float[] written = Npy.read(out.resolve("meta/00003.npy")).floats();
        assertArrayEquals(java.util.Arrays.copyOf(a, TinyWorld.DIM), java.util.Arrays.copyOf(written, TinyWorld.DIM));
    }

    @Test
    void probesUsedLimitsReferencesLabelsBoundariesAndTheGuardToTheFirstAccepted() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "all", "", 16));
        TinyRuns.run(TinyRuns.config(dir, "first", ", \"probes_used\": 100", 16));
        assertEquals(100, json(dir.resolve("first/sampling.json")).path("guard").path("probes").asInt());
        assertEquals(300, json(dir.resolve("all/sampling.json")).path("guard").path("probes").asInt());
        // the same probes are drawn, the boundaries are fitted on fewer of them
        assertArrayEquals(Npy.read(dir.resolve("all/probe/latents.npy")).floats(), Npy.read(dir.resolve("first/probe/latents.npy")).floats());
        assertFalse(java.util.Arrays.equals(Npy.read(dir.resolve("all/boundaries.npy")).floats(),
                Npy.read(dir.resolve("first/boundaries.npy")).floats()));
        assertEquals(json(dir.resolve("all/references.json")).get("references"), json(dir.resolve("first/references.json")).get("references"));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(TinyRuns.config(dir, "few",
                ", \"probes_used\": 10", 16)));
        assertTrue(e.getMessage().contains("10 accepted probes for 12 latent dimensions"), e.getMessage());
    }

    @Test
    void tooFewProbesForTheirDimensionTurnTheGuardOffSayingWhyAndTheReportSaysNotMeasured() throws IOException {
        Recording log = new Recording();
        Path cfg = TinyRuns.config(dir, "off", ", \"probes_used\": 10, \"sampling\": {\"mode\": \"directional\"}", 16);
        RunSummary s = run(cfg, log);
        assertTrue(Double.isNaN(s.outOfDistributionShare()));
        assertEquals(0, s.samplesOutOfDistribution());
        JsonNode guard = json(dir.resolve("off/sampling.json")).get("guard");
        assertFalse(guard.get("measured").asBoolean());
        assertEquals("10 accepted probes for 12 latent dimensions: the guard needs more probes than dimensions",
                guard.get("reason").asText());
        assertTrue(log.lines.contains("in-distribution guard off: " + guard.get("reason").asText()), log.lines.toString());
        for (String line : Files.readAllLines(dir.resolve("off/manifest.jsonl"))) {
            JsonNode m = ConfigLoader.MAPPER.readTree(line);
            assertTrue(m.get("mahalanobis").isNull() && m.get("in_distribution").isNull(), line);
        }
        // summary.json keeps "not measured" through a report
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(0, org.exfacegan.runner.cli.Cli.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "-q",
                "--plugins", "no-plugins-folder", "report", dir.resolve("off").toString()), err.toString());
        String row = out.toString().lines().filter(l -> l.startsWith("| off ")).findFirst().orElseThrow();
        String[] cells = row.substring(2, row.length() - 2).split(" \\| ");
        assertEquals("n/a", cells[org.exfacegan.runner.report.ReportTable.headers().indexOf("outside")], row);
    }

    private static ExperimentConfig withSampling(ExperimentConfig c, org.exfacegan.runner.config.SamplingConfig s) {
        return new ExperimentConfig(c.name(), c.seed(), c.output(), c.backbone(), c.recognizer(), c.preset(), c.probes(),
                c.probesUsed(), c.identities(), c.samplesPerIdentity(), c.uniqueness(), c.labels(), c.fitter(), s, c.dataset());
    }

    /** The identity factors a tiny-world picture carries (what the tiny recogniser reads). */
    private static double[] decoded(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        double[] f = new double[TinyWorld.ID_DIM];
        for (int k = 0; k < TinyWorld.ID_DIM; k++) {
            int rgb = img.getRGB(k / 3, 0);
            int channel = (rgb >> (16 - 8 * (k % 3))) & 0xff;
            f[k] = TinyWorld.decode(channel);
        }
        return f;
    }

    private static double[] quantised(double[] factors) {
        double[] f = new double[TinyWorld.ID_DIM];
        for (int k = 0; k < f.length; k++) {
            f[k] = TinyWorld.decode(TinyWorld.encode(factors[k]));
        }
        return f;
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static JsonNode json(Path p) throws IOException {
        return ConfigLoader.MAPPER.readTree(p.toFile());
    }
}
