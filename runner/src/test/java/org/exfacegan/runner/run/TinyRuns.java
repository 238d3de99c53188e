package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunSummary;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;

/** Configs and runs of the tiny ground-truth world for pipeline tests. */
final class TinyRuns {
    private TinyRuns() {}

    static Path config(Path dir, String output, String extra, int batchSize) throws IOException {
        Files.writeString(dir.resolve("tiny.model"), "tiny world");
        return Files.writeString(dir.resolve(output + ".json"), """
                {"name": "tiny", "seed": 11, "output": "%s",
                 "backbone": {"type": "tiny-gan", "model": "tiny.model", "batch_size": %d},
                 "recognizer": {"type": "tiny-face", "model": "tiny.model"},
                 "probes": 300, "identities": 6, "samples_per_identity": 5%s}
                """.formatted(output, batchSize, extra));
    }

    static ResolvedConfig resolve(Path config) {
        return new ConfigLoader(registry()).load(config);
    }

    static PluginRegistry registry() {
        return PluginRegistry.load(Path.of("no-plugins-folder"));
    }

    static RunSummary run(Path config) {
        return new Pipeline(resolve(config), registry(), Progress.QUIET).run();
    }

    /** Runs with the options given; returns the notices the run printed (settings kept, repairs, restarts). */
    static java.util.List<String> runNoting(Path config, boolean restart) {
        java.util.List<String> notices = new java.util.ArrayList<>();
        new Pipeline(resolve(config), registry(), Progress.QUIET, new RunOptions(restart, true, notices::add)).run();
        return notices;
    }

    /** Fails naming the files that differ or exist on one side only. */
    static void assertSameFiles(Path expected, Path actual) throws IOException {
        Map<String, String> e = digest(expected);
        Map<String, String> a = digest(actual);
        java.util.List<String> differ = new java.util.ArrayList<>();
        java.util.Set<String> all = new java.util.TreeSet<>(e.keySet());
        all.addAll(a.keySet());
        for (String f : all) {
            if (!java.util.Objects.equals(e.get(f), a.get(f))) {
                differ.add(f + (e.containsKey(f) ? a.containsKey(f) ? "" : " (missing)" : " (extra)"));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(differ.isEmpty(), "files differ: " + differ);
        org.junit.jupiter.api.Assertions.assertTrue(e.size() > 40, "dataset too small: " + e.keySet());
    }

    /** SHA-256 of every dataset file (run.json, which holds timings and paths, and the lock left out). */
    static Map<String, String> digest(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString();
                if (!rel.equals(RunLayout.RUN_JSON) && !rel.equals(RunLayout.LOCK)) {
                    out.put(rel, Sha256.of(f));
                }
            }
        }
        return out;
    }
}
