package org.exfacegan.spark.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunOptions;
import org.exfacegan.runner.run.ScaleOut;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.Trees;

/**
 * examples/quickstart.json on the demo world at a reduced size (demo stylegan2 and arcface providers
 * on the class path), run by the plain runner or through a {@link UnitRunner}; and the comparison of
 * two run folders.
 */
public final class DemoRun {
    private DemoRun() {}

    /**
     * Writes {@code dir/quickstart.json} (output {@code dir/run}, model paths absolute, RecordIO on so
     * every dataset file is made) and returns it. 300 probes are 3 probe chunks. Configs written in
     * two folders are the same experiment (same config hash).
     */
    public static Path config(Path dir, int identities, int samples) throws IOException {
        Path examples = repositoryRoot().resolve("examples");
        ObjectNode cfg = (ObjectNode) Json.MAPPER.readTree(examples.resolve("quickstart.json").toFile());
        cfg.put("output", "run");
        cfg.put("probes", 300);
        cfg.put("identities", identities);
        cfg.put("samples_per_identity", samples);
        ObjectNode dataset = cfg.putObject("dataset");
        dataset.put("recordio", true);
        dataset.put("contact_sheet", 4);
        for (String part : new String[] {"backbone", "recognizer"}) {
            ObjectNode c = (ObjectNode) cfg.get(part);
            c.put("model", examples.resolve(c.get("model").asText()).normalize().toString());
        }
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("quickstart.json"), Json.pretty(cfg));
    }

    /** Providers on the class path, no plugin folder. */
    public static PluginRegistry registry(Path dir) {
        return PluginRegistry.load(dir.resolve("no-plugins"));
    }

    public static ResolvedConfig resolve(Path config, PluginRegistry registry) {
        return new ConfigLoader(registry).load(config);
    }

    /** The run of {@code config} through {@code units}; returns its output folder. */
    public static Path run(Path config, UnitRunner units) {
        PluginRegistry registry = registry(config.getParent());
        ResolvedConfig rc = resolve(config, registry);
        new Pipeline(rc, registry, Progress.QUIET, RunOptions.defaults(s -> {}), units).run();
        return rc.output();
    }

    /**
     * The run of {@code config} through an engine's session as {@code run --spark} does it (its output
     * may be a store; {@code restart}: discard what is there).
     */
    public static void runThrough(Path config, ScaleOut.Session units, boolean restart) {
        PluginRegistry registry = registry(config.getParent());
        ResolvedConfig rc = resolve(config, registry);
        new Pipeline(units.prepare(rc, restart), registry, Progress.QUIET, RunOptions.defaults(s -> {}), units).run();
        units.finished();
    }

    /**
     * A plain run's files as a store holds them ({@link #files}, without the folder's marker
     * {@value RunLayout#MARKER}: a store name cannot start with '.').
     */
    public static Map<String, String> filesAsStored(Path plain) {
        Map<String, String> files = files(plain);
        files.remove(RunLayout.MARKER);
        return files;
    }

    /** A store's files but run.json (as {@link #files}) and the markers ({@value Publisher#MARKERS}/). */
    public static Map<String, String> storeFiles(Path store) {
        Map<String, String> files = new TreeMap<>(Trees.of(store));
        files.remove(RunLayout.RUN_JSON);
        files.keySet().removeIf(p -> p.startsWith(Publisher.MARKERS + "/"));
        return files;
    }

    /**
     * Every file of a run folder by path with its SHA-256, leaving out the two that legitimately
     * differ between any two runs of a config: {@code run.json} (start and end times, seconds per
     * stage, the config file's path) and the lock file (the holder's process and start time).
     */
    public static Map<String, String> files(Path run) {
        Map<String, String> files = new TreeMap<>(Trees.of(run));
        files.remove(RunLayout.RUN_JSON);
        files.remove(RunLayout.LOCK);
        return files;
    }

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with examples/) not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
