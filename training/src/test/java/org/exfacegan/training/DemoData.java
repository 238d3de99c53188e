package org.exfacegan.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;

/**
 * A demo dataset made by the real pipeline: examples/quickstart.json (demo stylegan2 + arcface
 * plugins on the class path, ONNX Runtime) at a reduced size. Its crops are 112x112 faces of
 * synthetic identities whose true identity the demo world knows.
 */
public final class DemoData {
    private DemoData() {}

    /** Demo identities, images per identity, and probes of the shared run. */
    public static final int IDENTITIES = 80;
    public static final int SAMPLES = 12;
    private static final int PROBES = 1000;
    private static Path shared;

    /**
     * One demo run for all tests of this JVM (about a minute to make on 2 loaded cores): {@value #IDENTITIES}
     * identities of {@value #SAMPLES} images, with RecordIO files and full-resolution images.
     */
    public static synchronized Path shared() throws IOException {
        if (shared == null) {
            Path dir = Files.createTempDirectory("exfacegan-training-demo");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    org.exfacegan.runner.run.RunFolder.deleteTree(dir);
                } catch (IOException ignored) {
                    // a temporary folder: the system cleans it eventually
                }
            }));
            shared = run(dir, PROBES, IDENTITIES, SAMPLES, true, true);
        }
        return shared;
    }

    /** Runs (or reuses) the reduced quickstart into {@code dir/run}; returns the run folder. */
    public static Path run(Path dir, int probes, int identities, int samplesPerIdentity, boolean recordio, boolean fullResolution)
            throws IOException {
        Path examples = repositoryRoot().resolve("examples");
        ObjectNode cfg = (ObjectNode) ConfigLoader.MAPPER.readTree(examples.resolve("quickstart.json").toFile());
        cfg.put("output", "run");
        cfg.put("probes", probes);
        cfg.put("identities", identities);
        cfg.put("samples_per_identity", samplesPerIdentity);
        ObjectNode dataset = cfg.putObject("dataset");
        dataset.put("recordio", recordio);
        dataset.put("full_resolution", fullResolution);
        dataset.put("contact_sheet", 0);
        for (String part : new String[] {"backbone", "recognizer"}) {
            ObjectNode c = (ObjectNode) cfg.get(part);
            c.put("model", examples.resolve(c.get("model").asText()).normalize().toString());
        }
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("quickstart.json"), ConfigLoader.toJson(cfg));
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // providers on the class path
        new Pipeline(new ConfigLoader(registry).load(file), registry, Progress.QUIET).run();
        return dir.resolve("run");
    }

    public static Path repositoryRoot() {
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
