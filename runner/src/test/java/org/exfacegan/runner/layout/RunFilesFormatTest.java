package org.exfacegan.runner.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.exfacegan.runner.io.FolderMarker;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.pipeline.sample.SamplingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records write the bytes the hand-written writers they replaced wrote: each test keeps the old
 * writer's code as the oracle and compares on values chosen to break fixed-decimal printing (NaN,
 * infinities, -0, subnormals, halfway cases, huge and tiny numbers), then reads the line back.
 */
class RunFilesFormatTest {
    private static final SplittableRandom RND = new SplittableRandom(20240611);

    @TempDir
    Path dir;

    /** Floats a fixed-decimal printer can get wrong, then random ones over many magnitudes. */
    private static float[] floats(int random) {
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MAX_VALUE, 0.5f, 0.00005f, 0.000005f, 0.0000005f, 1.0000005f, 0.12345649f, 0.99995f, -0.99995f, 123456.7f, 1e-7f};
        float[] out = new float[special.length + random];
        System.arraycopy(special, 0, out, 0, special.length);
        for (int i = special.length; i < out.length; i++) {
            out[i] = (float) ((RND.nextDouble() - 0.5) * Math.pow(10, RND.nextInt(-9, 7)));
        }
        return out;
    }

    @Test
    void boundaryLinesAreTheOldLines() {
        float[] v = floats(3000);
        for (int i = 0; i < v.length; i++) {
            float offset = v[i];
            float held = v[(i + 1) % v.length];
            float train = v[(i + 7) % v.length];
            String old = String.format(Locale.ROOT,
                    "{\"boundary\": %d, \"reference\": %d, \"offset\": %.6f, \"held_out_accuracy\": %.4f, \"train_accuracy\": %.4f}%n",
                    i, 3 * i, offset, held, train);
            assertEquals(old, Json.line(new BoundaryLine(i, 3 * i, offset, held, train)), "offset " + offset + ", held " + held);
        }
    }

    @Test
    void manifestLinesAreTheOldLines() {
        float[] v = floats(3000);
        for (int i = 0; i < v.length; i++) {
            float dist = v[i];
            double sim = i % 11 == 0 ? Double.NaN : v[(i + 3) % v.length] * 1.1;
            double mahalanobis = i % 13 == 0 ? Double.NaN : Math.abs(v[(i + 5) % v.length]) * 7.3;
            Boolean in = i % 3 == 0 ? null : i % 3 == 1;
            String name = String.format("%05d", i);
            String old = String.format(Locale.ROOT,
                    "{\"identity\": \"%s\", \"index\": %d, \"reference\": %d, \"side\": %d, \"candidate\": %d, "
                            + "\"distance\": %.6f, \"similarity\": %s, \"mahalanobis\": %s, \"in_distribution\": %s, "
                            + "\"file\": \"images/%s/%04d.png\"}%n",
                    name, i % 50, 7 * i, i % 2 == 0 ? 1 : -1, i + 2, dist, number(sim, 6), number(mahalanobis, 4),
                    in == null ? "null" : Boolean.toString(in), name, i % 50);
            ManifestLine line = new ManifestLine(name, i % 50, 7 * i, i % 2 == 0 ? 1 : -1, i + 2, dist,
                    Double.isNaN(sim) ? null : sim, Double.isNaN(mahalanobis) ? null : mahalanobis, in,
                    RunLayout.image(RunLayout.IMAGES, name, i % 50));
            assertEquals(old, Json.line(line), "distance " + dist + ", similarity " + sim);
        }
    }

    /** The old manifest writer's number: fixed decimals, null when not measured. */
    private static String number(double v, int decimals) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    @Test
    void identityCountsRejectedProbesAndMarkersAreTheOldLines() {
        assertEquals(String.format("{\"drawn\": %d, \"kept\": %d, \"rejected_faces\": %d, \"below_min_similarity\": %d, "
                        + "\"above_max_similarity\": %d, \"out_of_distribution\": %d, \"dropped_out_of_distribution\": %d, "
                        + "\"reference_rejected\": %b}%n", 20, 5, 3, 2, 1, 4, 0, true),
                Json.line(new IdentityCounts(20, 5, 3, 2, 1, 4, 0, true)));
        for (String reason : List.of("no face", "score 0.2 < 0.65", "quote \" backslash \\ tab \t newline \n", "caf\u00e9 \u2603 \u0001")) {
            // the old writer: the reason as the config mapper's pretty printer writes a lone string
            String old = "{\"probe\": " + 17 + ", \"reason\": " + Json.pretty(reason).strip() + "}\n";
            assertEquals(old, Json.line(new RejectedProbe(17, reason)), reason);
        }
        assertEquals("{\"format\": 1, \"what\": \"exfacegan run folder\"}\n", Json.line(new FolderMarker(1, "exfacegan run folder")));
    }

    @Test
    void referencesAndSamplingFilesAreTheOldFiles() {
        ObjectNode refs = Json.MAPPER.createObjectNode();
        refs.put("skipped_look_alikes", 2);
        refs.putArray("references").add(0).add(4).add(9);
        assertEquals(Json.pretty(refs), Json.pretty(new ReferencesRecord(2, List.of(0, 4, 9))));

        double[] spectrum = {3.5, 1e-20, Double.NaN, 0};
        double[] held = {0.25, 0.125};
        for (boolean measured : new boolean[] {true, false}) {
            for (boolean paperRaw : new boolean[] {true, false}) {
                ObjectNode json = Json.MAPPER.createObjectNode();
                json.put("mode", paperRaw ? "paper" : "subspace");
                ObjectNode g = json.putObject("guard");
                SamplingRecord.Guard guard;
                if (measured) {
                    g.put("measured", true).put("probes", 300).put("percentile", 0.99).put("mahalanobis_threshold", 5.123456789);
                    guard = SamplingRecord.Guard.on(300, 0.99, 5.123456789);
                } else {
                    g.put("measured", false).put("reason", "20 accepted probes for 32 latent dimensions");
                    guard = SamplingRecord.Guard.off("20 accepted probes for 32 latent dimensions");
                }
                SamplingRecord.Subspace subspace = null;
                if (measured) {
                    json.put("distance_spread_mean", 0.731);
                    if (paperRaw) {
                        json.put("max_dist_in_spreads", 30 / 0.731);
                    }
                }
                if (!paperRaw && measured) {
                    ObjectNode s = json.putObject("identity_subspace");
                    s.put("rank", 3).put("chosen", "cross-validated").put("boundaries", 100).put("dims", 32).put("explained", Double.NaN);
                    var a = s.putArray("spectrum");
                    for (double d : spectrum) {
                        a.add(d);
                    }
                    var h = s.putArray("held_out_capture");
                    for (double d : held) {
                        h.add(d);
                    }
                    subspace = new SamplingRecord.Subspace(3, "cross-validated", 100, 32, Double.NaN, spectrum, held);
                }
                SamplingRecord r = new SamplingRecord(paperRaw ? SamplingMode.PAPER : SamplingMode.SUBSPACE, guard,
                        measured ? 0.731 : null, measured && paperRaw ? 30 / 0.731 : null, subspace);
                assertEquals(Json.pretty(json), Json.pretty(r), "measured " + measured + ", paper " + paperRaw);
            }
        }
    }

    /** run.json as the old writer built it node by node, for a run in each state; and read back to the same bytes. */
    @Test
    void runRecordsAreTheOldRunJsonAndReadBackAlike() throws Exception {
        ObjectNode old = Json.MAPPER.createObjectNode();
        old.put("config_file", "/data/c.json").put("config_hash", "ab12");
        old.putObject("config").put("placeholder", 1); // replaced below by the bound config
        old.put("seed", 42L);
        for (String role : new String[] {"backbone", "recognizer"}) {
            ObjectNode n = old.putObject(role);
            n.put("provider", role).put("version", "1.0").put("api_version", "2.1").put("jar", "built-in").put("jar_sha256", "ff00");
            n.putObject("model_options").put("device", "cpu").put("batch_size", 8).put("threads", 0);
            n.putObject("model_files").put("/m/a.onnx", "aa").put("/m/b.npy", "bb");
        }
        old.putArray("runtimes").addObject().put("name", "onnxruntime").put("version", "1.29.0").put("description", "ONNX Runtime");
        old.putObject("jvm").put("version", "17.0.1").put("vendor", "Vendor").put("os", "Linux amd64");
        old.put("exfacegan_version", "development build");
        old.put("status", "running");

        String configJson = "{\"name\": \"n\", \"seed\": 42, \"output\": \"o\", \"backbone\": {\"type\": \"backbone\", \"model\": \"m.json\"},"
                + " \"recognizer\": {\"type\": \"recognizer\", \"model\": \"r.onnx\"}, \"probes\": 10, \"samples_per_identity\": 2}";
        var config = Json.MAPPER.readValue(configJson, org.exfacegan.runner.config.ExperimentConfig.class);
        old.set("config", Json.MAPPER.valueToTree(config));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/m/a.onnx", "aa");
        files.put("/m/b.npy", "bb");
        RunRecord.Component backbone = new RunRecord.Component("backbone", "1.0", "2.1", "built-in", "ff00",
                new RunRecord.Compute("cpu", 8, 0), files);
        RunRecord.Component recognizer = new RunRecord.Component("recognizer", "1.0", "2.1", "built-in", "ff00",
                new RunRecord.Compute("cpu", 8, 0), files);
        RunRecord described = new RunRecord("/data/c.json", "ab12", config, 42L, backbone, recognizer,
                List.of(new RunRecord.RuntimeInfo("onnxruntime", "1.29.0", "ONNX Runtime")), new RunRecord.Jvm("17.0.1", "Vendor",
                "Linux amd64"), "development build", null, null, null, null, null, null, null);
        RunRecord running = described.running(null);
        assertEquals(Json.pretty(old), Json.pretty(running));

        // completion: summary, repairs, this session's seconds and work, and the totals
        RunSummary summary = new RunSummary(10, 9, 2, 4, 5, 1, 0, 0, 0.75, 0.5, 0.6125, 0, 0, Double.NaN, Double.NaN, null,
                null, null);
        old.put("status", "complete");
        old.set("summary", Json.MAPPER.valueToTree(summary));
        old.putArray("repaired_this_session").add("repairing identity 00001: x");
        ObjectNode timing = old.putObject("seconds_this_session");
        timing.put("probe", 1.5).put("fit", 0.25).put("samples", 3.0).put("finish", 0.125);
        ObjectNode work = old.putObject("work_this_session").put("boundaries", 2).put("identities", 2).put("images", 4);
        ObjectNode secondsTotal = old.putObject("seconds_total");
        timing.fields().forEachRemaining(e -> secondsTotal.put(e.getKey(), e.getValue().asDouble()));
        ObjectNode workTotal = old.putObject("work_total");
        work.fields().forEachRemaining(e -> workTotal.put(e.getKey(), e.getValue().asLong()));
        timing.putObject("models").put("generate", 0.5).put("align_embed", 1.25).put("ground_truth", 0.0);
        RunRecord complete = running.complete(summary, List.of("repairing identity 00001: x"),
                new RunRecord.Seconds(1.5, 0.25, 3.0, 0.125, new RunRecord.ModelSeconds(0.5, 1.25, 0.0)), new RunRecord.Work(2, 2, 4));
        assertEquals(Json.pretty(old), Json.pretty(complete));

        // a resumed session adds to the totals of the sessions before it
        RunRecord again = described.running(complete).complete(summary, List.of(),
                new RunRecord.Seconds(1, 1, 1, 1, new RunRecord.ModelSeconds(0, 0, 0)), new RunRecord.Work(0, 1, 2));
        assertEquals(new RunRecord.Seconds(2.5, 1.25, 4.0, 1.125, null), again.secondsTotal());
        assertEquals(new RunRecord.Work(2, 3, 6), again.workTotal());

        for (RunRecord r : List.of(running, complete, again)) {
            Path file = Files.writeString(dir.resolve("run.json"), Json.pretty(r));
            assertEquals(Json.pretty(r), Json.pretty(Json.read(file, RunRecord.class, "run.json")));
        }
    }
}
