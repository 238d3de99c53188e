package org.exfacegan.runner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.RunSummary;
import org.exfacegan.runner.pipeline.fit.FitterType;
import org.exfacegan.runner.pipeline.sample.SamplingMode;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A comparison on the tiny ground-truth world: two fitter variants and one collected run. */
class CompareTest {
    @TempDir
    Path dir;

    static final String BASE = """
            {"name": "tiny", "seed": 11, "output": "ignored",
             "backbone": {"type": "tiny-gan", "model": "models/tiny.model"},
             "recognizer": {"type": "tiny-face", "model": "models/tiny.model"},
             "probes": 300, "identities": 6, "samples_per_identity": 5}""";

    static PluginRegistry registry() {
        return PluginRegistry.load(Path.of("no-plugins-folder"));
    }

    /** Writes the tiny model, a finished run to collect, and the compare config; returns the config. */
    static Path setUp(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/tiny.model"), "tiny world");
        Path single = Files.writeString(dir.resolve("single.json"), BASE.replace("\"ignored\"", "\"finished-paper\"")
                .replace("\"samples_per_identity\": 5", "\"samples_per_identity\": 5, \"sampling\": {\"mode\": \"paper\", \"max_dist\": 2}"));
        new Pipeline(new ConfigLoader(registry()).load(single), registry(), Progress.QUIET).run();
        Files.createDirectories(dir.resolve("cmp"));
        return Files.writeString(dir.resolve("cmp/compare.json"), """
                {"name": "tiny comparison", "output": "out", "base": %s,
                 "variants": [{"label": "least-squares", "fitter": {"type": "least-squares"}},
                              {"label": "svm", "fitter": {"type": "svm"}}],
                 "runs": ["../finished-paper"], "lookalike_threshold": 0.9}
                """.formatted(BASE.replace("models/", "../models/")));
    }

    @Test
    void aComparisonNeverWritesIntoAFolderOfTheUsers() throws IOException {
        Path config = setUp(dir);
        Files.writeString(Files.createDirectories(dir.resolve("cmp/out")).resolve("notes.txt"), "the user's");
        ConfigException e = assertThrows(ConfigException.class,
                () -> new CompareConfigLoader(registry()).load(config));
        assertEquals("output folder " + dir.resolve("cmp/out") + " is not empty and holds no exfacegan comparison (it holds "
                + "notes.txt); exfacegan writes only into a new or empty folder, or one it made: choose another output folder",
                e.getMessage());
        try (var s = Files.list(dir.resolve("cmp/out"))) {
            assertEquals(List.of(dir.resolve("cmp/out/notes.txt")), s.toList(), "nothing written");
        }
    }

    @Test
    void aVariantWithThePaperPresetRunsThePapersFitterAndSamplingAtTheBaseSizes() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/tiny.model"), "tiny world");
        Files.createDirectories(dir.resolve("cmp"));
        Path config = Files.writeString(dir.resolve("cmp/compare.json"), """
                {"name": "presets", "output": "out", "base": %s,
                 "variants": [{"label": "ours"}, {"label": "paper", "preset": "paper"}]}
                """.formatted(BASE.replace("models/", "../models/")));
        CompareConfigLoader.Resolved r = new CompareConfigLoader(registry()).load(config);
        var ours = r.variants().get(0).value().config();
        var paper = r.variants().get(1).value().config();
        assertEquals(FitterType.LEAST_SQUARES, ours.fitter().type());
        assertEquals(SamplingMode.SUBSPACE, ours.sampling().mode());
        assertEquals(FitterType.PAPER, paper.fitter().type());
        assertEquals(SamplingMode.PAPER, paper.sampling().mode());
        assertEquals(true, paper.sampling().bothSides());
        assertEquals(30.0, paper.sampling().maxDist());
        assertEquals(List.of(300, 6, 5), List.of(paper.probes(), paper.identities(), paper.samplesPerIdentity()), "the base's sizes");
        assertEquals(300, paper.probesUsed());
        assertTrue(Files.readString(dir.resolve("cmp/out/configs/paper.json")).contains("\"preset\" : \"paper\""));
    }

    @Test
    void aRunOutsideTheProbeDistributionIsMarkedAndWarnedAboutInTheReport() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/tiny.model"), "tiny world");
        Path far = Files.writeString(dir.resolve("far.json"), BASE.replace("\"ignored\"", "\"far\"")
                .replace("\"samples_per_identity\": 5", "\"samples_per_identity\": 5, \"sampling\": {\"mode\": \"paper\", \"max_dist\": 30}"));
        RunSummary s = new Pipeline(new ConfigLoader(registry()).load(far), registry(), Progress.QUIET).run();
        assertTrue(s.outOfDistributionHigh(), "share " + s.outOfDistributionShare());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Cli.OK, Cli.execute(new PrintWriter(out), new PrintWriter(err), "-q", "--plugins", "no-plugins-folder",
                "report", dir.resolve("far").toString()), err.toString());
        assertTrue(out.toString().contains("% (!) |"), out.toString());
        String html = Files.readString(dir.resolve("far/report/report.html"));
        assertTrue(html.contains("<b>Warning:</b> far: 100.0% of the samples lie outside the probe latents' distribution"), html);
        JsonNode json = Json.MAPPER.readTree(dir.resolve("far/report/report.json").toFile());
        assertEquals(s.outOfDistributionShare(), json.get("runs").get(0).get("metrics").get("out_of_distribution_share").asDouble(), 1e-12);
    }

    @Test
    void compareWritesConsistentJsonTableAndHtml() throws IOException {
        Path config = setUp(dir);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), "-q", "--plugins", "no-plugins-folder",
                "compare", config.toString());
        assertEquals(Cli.OK, code, err.toString());
        String console = out.toString();
        System.out.println(console);
        Path outDir = dir.resolve("cmp/out");

        JsonNode json = Json.MAPPER.readTree(outDir.resolve("compare.json").toFile());
        JsonNode runs = json.get("runs");
        assertEquals(List.of("least-squares", "svm", "finished-paper"), labels(runs));
        List<String> tableRows = console.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| run ") && !l.startsWith("| ---")).toList();
        assertEquals(3, tableRows.size(), console);
        String html = Files.readString(outDir.resolve("report.html"));
        for (int i = 0; i < 3; i++) {
            JsonNode r = runs.get(i);
            JsonNode m = r.get("metrics");
            assertEquals(6, m.get("identities").asInt());
            assertEquals(30, m.get("images").asInt());
            assertEquals(6 * 10, m.get("genuine").get("count").asInt()); // C(5,2) pairs per identity
            assertEquals((30 * 30 - 6 * 25) / 2, m.get("impostor").get("count").asInt());
            double eer = m.get("eer").asDouble();
            assertTrue(eer >= 0 && eer <= 0.5, "EER " + eer);
            assertTrue(m.get("fnmr_at_fmr_1e-3").asDouble() >= m.get("fnmr_at_fmr_1e-2").asDouble());
            assertTrue(m.get("genuine").get("mean").asDouble() > m.get("impostor").get("mean").asDouble());
            // the written crops embed to what the pipeline measured when it wrote them
            assertTrue(m.get("similarity_replay_max_diff").asDouble() < 1e-5, m.toString());
            assertNotNull(r.get("provenance").get("config_hash"));
            assertTrue(m.get("ground_truth").get("consistency_ratio").asDouble() < 1);
            // table row and HTML row carry the JSON's figures
            String eerText = ReportTable.f(eer, 4);
            String row = tableRows.get(i);
            assertTrue(row.startsWith("| " + r.get("label").asText() + " |") && row.contains("| " + eerText + " |"), row);
            assertTrue(html.contains("<td>" + r.get("label").asText() + "</td>"), "html lacks run " + r.get("label"));
        }
        // the reference-side consistency is what the pipeline recorded as mean similarity
        RunSummary lsq = Json.MAPPER.treeToValue(
                Json.MAPPER.readTree(outDir.resolve("runs/least-squares/summary.json").toFile()), RunSummary.class);
        assertEquals(lsq.sampleSimilarityMean(), runs.get(0).get("metrics").get("consistency_mean").asDouble(), 1e-5);
        // the variants differ only in the fitter
        assertEquals("svm", runs.get(1).get("fitter").asText());
        assertEquals(runs.get(0).get("provenance").get("config").get("probes"), runs.get(1).get("provenance").get("config").get("probes"));

        // every image of the report is an inlined PNG that decodes: 3 histograms, DET, 2 bar charts, 3 contact sheets
        List<String> uris = images(html);
        assertEquals(3 + 1 + 2 + 3, uris.size());
        for (String uri : uris) {
            assertTrue(uri.startsWith("data:image/png;base64,"), uri.substring(0, Math.min(40, uri.length())));
            assertNotNull(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(22)))));
        }
        assertTrue(!html.contains("http://") && !html.contains("https://"), "report must not need the network");
        assertTrue(Files.exists(outDir.resolve("configs/svm.json")));

        // a second compare resumes the finished runs and measures the same
        StringWriter again = new StringWriter();
        assertEquals(Cli.OK, Cli.execute(new PrintWriter(again), new PrintWriter(err), "-q", "--plugins", "no-plugins-folder",
                "compare", config.toString()), err.toString());
        JsonNode runs2 = Json.MAPPER.readTree(outDir.resolve("compare.json").toFile()).get("runs");
        for (int i = 0; i < 3; i++) {
            assertEquals(runs.get(i).get("metrics").get("eer"), runs2.get(i).get("metrics").get("eer"));
            assertEquals(runs.get(i).get("metrics").get("diversity"), runs2.get(i).get("metrics").get("diversity"));
            // the resumed session did nothing, yet the throughput of the sessions that did the work is kept
            int resumed = i < 2 ? 0 : 30; // the variants ran again (with nothing left); the collected run did not
            assertEquals(resumed, runs2.get(i).get("provenance").get("work_this_session").get("images").asInt());
            assertEquals(30, runs2.get(i).get("provenance").get("work_total").get("images").asInt());
            assertTrue(runs2.get(i).get("metrics").get("images_per_second").asDouble() > 0, runs2.get(i).toString());
        }
    }

    @Test
    void singleRunReport() throws IOException {
        setUp(dir);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Cli.OK, Cli.execute(new PrintWriter(out), new PrintWriter(err), "-q", "--plugins", "no-plugins-folder",
                "report", dir.resolve("finished-paper").toString()), err.toString());
        JsonNode json = Json.MAPPER.readTree(dir.resolve("finished-paper/report/report.json").toFile());
        assertEquals(1, json.get("runs").size());
        assertEquals("paper", json.get("runs").get(0).get("sampling").asText());
        assertEquals(1 + 1 + 2 + 1, images(Files.readString(dir.resolve("finished-paper/report/report.html"))).size());
        assertTrue(out.toString().contains("| finished-paper |"), out.toString());
    }

    @Test
    void badCompareConfigsNameTheField() throws IOException {
        Path config = setUp(dir);
        String good = Files.readString(config);
        Files.writeString(config, good.replace("\"label\": \"svm\"", "\"label\": \"least-squares\""));
        ConfigException dup = assertThrows(ConfigException.class, () -> new CompareConfigLoader(registry()).load(config));
        assertTrue(dup.getMessage().contains("/variants/1/label") && dup.getMessage().contains("twice"), dup.getMessage());
        Files.writeString(config, good.replace("{\"type\": \"svm\"}", "{\"type\": \"sv\"}"));
        ConfigException bad = assertThrows(ConfigException.class, () -> new CompareConfigLoader(registry()).load(config));
        assertTrue(bad.getMessage().contains("variant \"svm\"") && bad.getMessage().contains("/fitter/type"), bad.getMessage());
        Files.writeString(config, good.replace("\"../finished-paper\"", "\"../nowhere\""));
        ConfigException missing = assertThrows(ConfigException.class, () -> new CompareConfigLoader(registry()).load(config));
        assertTrue(missing.getMessage().contains("/runs/0"), missing.getMessage());
        Files.writeString(config, good.replace("\"fitter\": {\"type\": \"svm\"}", "\"recognizer\": {\"type\": \"tiny-face\"}"));
        ConfigException rec = assertThrows(ConfigException.class, () -> new CompareConfigLoader(registry()).load(config));
        assertTrue(rec.getMessage().contains("recognizer"), rec.getMessage());
    }

    /**
     * The training and benchmarks sections are checked before anything runs: each needs the other,
     * compare's own fields may not be set in the training section, benchmarks must exist, and
     * without the training module on the class path (as in these runner tests) the error says how to
     * get it. Nothing is run.
     */
    @Test
    void trainingSectionsAreCheckedBeforeAnythingRuns() throws IOException {
        Path config = setUp(dir);
        String good = Files.readString(config);
        Path bin = Files.createDirectories(dir.resolve("bench")).resolve("demo.bin");
        org.exfacegan.runner.verification.InsightfaceBin.write(bin, List.of(new byte[] {1}, new byte[] {2}), new boolean[] {true});
        String tail = ", \"lookalike_threshold\": 0.9}";
        String[][] cases = {
            {", \"training\": {\"seed\": 1}", "/benchmarks: missing: a training section trains one recogniser per dataset"},
            {", \"benchmarks\": [\"../bench\"]", "/training: missing: the benchmarks are evaluated on recognisers trained"},
            {", \"training\": {\"output\": \"t\"}, \"benchmarks\": [\"../bench\"]", "/training/output: is set by compare"},
            {", \"training\": {\"data\": \"t\"}, \"benchmarks\": [\"../bench\"]", "/training/data: is set by compare"},
            {", \"training\": 3, \"benchmarks\": [\"../bench\"]", "/training: must be a training config object or the path"},
            {", \"training\": \"nope.json\", \"benchmarks\": [\"../bench\"]", "/training: cannot read training config"},
            {", \"training\": {}, \"benchmarks\": [\"../nowhere\"]", "/benchmarks/0: benchmark " + dir.resolve("nowhere") + " not found"},
            {", \"training\": {}, \"benchmarks\": [\"../bench\", \"../bench/demo.bin\"]", "/benchmarks: two benchmarks are named \"demo\""},
            {", \"training\": {}, \"benchmarks\": [\"../bench\"]", "/training: training recognisers needs the exfacegan training module, "
                + "which this build of the application does not include"},
        };
        for (String[] c : cases) {
            Files.writeString(config, good.replace(", \"lookalike_threshold\": 0.9}", c[0] + tail));
            ConfigException e = assertThrows(ConfigException.class, () -> new CompareConfigLoader(registry()).load(config), c[0]);
            assertTrue(e.getMessage().startsWith("config " + config + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        assertTrue(!Files.exists(dir.resolve("cmp/out/runs")), "nothing ran");
    }

    @Test
    void runsWithoutGenuinePairsStillReport() throws IOException {
        setUp(dir);
        Path one = Files.writeString(dir.resolve("one.json"), BASE.replace("\"ignored\"", "\"one-each\"")
                .replace("\"samples_per_identity\": 5", "\"samples_per_identity\": 1"));
        new Pipeline(new ConfigLoader(registry()).load(one), registry(), Progress.QUIET).run();
        Comparison.Result r = Comparison.single(dir.resolve("one-each"), dir.resolve("one-report"), registry(), 0.5, 1000,
                Progress.QUIET);
        RunMetrics m = r.runs().get(0).metrics();
        assertEquals(0, m.genuine().count());
        assertEquals(15, m.impostor().count());
        assertTrue(Double.isNaN(m.eer()) && Double.isNaN(m.diversity()) && Double.isNaN(m.fdr()), m.toString());
        assertTrue(Files.readString(r.report()).contains("<td>n/a</td>"));
    }

    @Test
    void reportRefusesAnotherRecogniserModel() throws IOException {
        setUp(dir);
        Files.writeString(dir.resolve("models/tiny.model"), "tiny world, retrained");
        org.exfacegan.api.ExfaceganException e = assertThrows(org.exfacegan.api.ExfaceganException.class,
                () -> Comparison.single(dir.resolve("finished-paper"), dir.resolve("r"), registry(), 0.5, 1000, Progress.QUIET));
        assertTrue(e.getMessage().contains("is not the one run") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    static List<String> labels(JsonNode runs) {
        List<String> out = new ArrayList<>();
        runs.forEach(r -> out.add(r.get("label").asText()));
        return out;
    }

    static List<String> images(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img [^>]*src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
