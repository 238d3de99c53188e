package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the demo models through ONNX Runtime, stopped in the probe, sample or finish stage and
 * resumed with another batch size or thread count, ends with the files of an uninterrupted run.
 * (ONNX Runtime rounds some rows differently for a batch that leaves a one-row remainder: the
 * resumed run keeps the values the run started with.)
 */
class ResumeSettingsTest {
    @TempDir
    static Path dir;

    static PluginRegistry registry;
    static Map<String, String> reference;

    private static final int GEN_BATCH = 8;
    private static final int REC_BATCH = 64;

    @BeforeAll
    static void referenceRun() throws IOException {
        registry = PluginRegistry.load(dir.resolve("no-plugins")); // the providers on the class path
        run(config("reference", GEN_BATCH, 1, REC_BATCH, 1), Progress.QUIET, new ArrayList<>());
        reference = digest(dir.resolve("reference"));
    }

    /** The quickstart, small: 384 probes (3 chunks), 8 identities of 8 samples. */
    static Path config(String output, int genBatch, int genThreads, int recBatch, int recThreads) throws IOException {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        ObjectNode cfg = (ObjectNode) Json.MAPPER.readTree(examples.resolve("quickstart.json").toFile());
        cfg.put("output", output);
        cfg.put("probes", 384);
        cfg.put("identities", 8);
        cfg.put("samples_per_identity", 8);
        cfg.remove("uniqueness");
        int[][] settings = {{genBatch, genThreads}, {recBatch, recThreads}};
        String[] parts = {"backbone", "recognizer"};
        for (int i = 0; i < 2; i++) {
            ObjectNode c = (ObjectNode) cfg.get(parts[i]);
            c.put("model", examples.resolve(c.get("model").asText()).normalize().toString());
            c.put("batch_size", settings[i][0]);
            c.put("threads", settings[i][1]);
        }
        return Files.writeString(dir.resolve(output + "-" + genBatch + "-" + genThreads + "-" + recBatch + "-" + recThreads
                + ".json"), Json.pretty(cfg));
    }

    static void run(Path config, Progress progress, List<String> notices) {
        new Pipeline(new ConfigLoader(registry).load(config), registry, progress,
                new RunOptions(false, true, notices::add)).run();
    }

    /** Progress that stops the run (as a crash would) once {@code steps} steps of stage {@code stage} are done. */
    static Progress stopAfter(String stage, long steps) {
        return new Progress() {
            private long seen;

            @Override
            public Stage stage(String name, long total, long done, String unit) {
                return new Stage() {
                    @Override
                    public void step(long n) {
                        if (name.equals(stage) && (seen += n) >= steps) {
                            throw new IllegalStateException("stopped in stage " + stage);
                        }
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public void info(String line) {}
        };
    }

    /**
     * Stops a run started with the reference settings in {@code stage}, resumes it with other
     * settings, and checks the files; returns the notices of the resume.
     */
    private List<String> stopAndResume(String name, String stage, long steps, int genBatch, int genThreads, int recBatch,
                                       int recThreads) throws IOException {
        assertThrows(IllegalStateException.class,
                () -> run(config(name, GEN_BATCH, 1, REC_BATCH, 1), stopAfter(stage, steps), new ArrayList<>()));
        List<String> notices = new ArrayList<>();
        run(config(name, genBatch, genThreads, recBatch, recThreads), Progress.QUIET, notices);
        assertEquals(reference, digest(dir.resolve(name)), name + ": the resumed run wrote other files");
        return notices;
    }

    @Test
    void batchSizesChangedInEveryStage() throws IOException {
        // probe set: stopped after its first chunk of 128; identities: after 3 of 8; finish: after the last identity
        for (String[] c : new String[][] {{"probe set", "128"}, {"identities", "3"}, {"identities", "8"}}) {
            String name = "batch-" + c[0].replace(' ', '-') + "-" + c[1];
            List<String> notices = stopAndResume(name, c[0], Long.parseLong(c[1]), 3, 1, 5, 1);
            assertEquals(List.of(
                    "note: backbone batch_size 3, threads 1 in the config; this run started with batch_size 8, threads 1 and "
                            + "keeps them, so a resumed run writes the same files (a model runtime may round differently for "
                            + "another batch); use --restart or another output folder to change them",
                    "note: recognizer batch_size 5, threads 1 in the config; this run started with batch_size 64, threads 1 "
                            + "and keeps them, so a resumed run writes the same files (a model runtime may round differently "
                            + "for another batch); use --restart or another output folder to change them"), notices);
        }
    }

    @Test
    void threadCountsChangedInEveryStage() throws IOException {
        for (String[] c : new String[][] {{"probe set", "128"}, {"identities", "3"}, {"identities", "8"}}) {
            String name = "threads-" + c[0].replace(' ', '-') + "-" + c[1];
            List<String> notices = stopAndResume(name, c[0], Long.parseLong(c[1]), GEN_BATCH, 2, REC_BATCH, 2);
            assertEquals(2, notices.size(), notices.toString());
            assertTrue(notices.get(0).startsWith("note: backbone batch_size 8, threads 2 in the config; this run started with "
                    + "batch_size 8, threads 1 and keeps them"), notices.toString());
        }
    }

    /** Why the settings are kept: two fresh runs with other batch sizes can differ in the last bits (printed, not asserted). */
    @Test
    void freshRunsWithAnotherBatchSizeMeasured() throws IOException {
        run(config("fresh-batch-5", GEN_BATCH, 1, 5, 1), Progress.QUIET, new ArrayList<>());
        float[] a = Npy.read(dir.resolve("reference/probe/embeddings.npy")).floats();
        float[] b = Npy.read(dir.resolve("fresh-batch-5/probe/embeddings.npy")).floats();
        int differ = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            differ += a[i] != b[i] ? 1 : 0;
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        Map<String, String> other = digest(dir.resolve("fresh-batch-5"));
        long files = reference.keySet().stream().filter(f -> !reference.get(f).equals(other.get(f))).count();
        System.out.printf("demo recogniser through ONNX Runtime, recognizer batch 64 vs 5 in two fresh runs: %d of %d embedding "
                + "floats differ (max %.2g); %d of %d files differ%n", differ, a.length, max, files, reference.size());
    }

    /** SHA-256 of every file of a run but run.json (timings, paths) and the lock (its holder). */
    static Map<String, String> digest(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString();
                if (!rel.equals("run.json") && !rel.equals("run.lock")) {
                    out.put(rel, Sha256.of(f));
                }
            }
        }
        return out;
    }
}
