package org.exfacegan.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunSummary;

/** examples/quickstart.json at a reduced size, written into a test folder and run with the providers on the class path. */
final class DemoRuns {
    private DemoRuns() {}

    /** Writes {@code dir/quickstart.json} (output {@code dir/run}, model paths made absolute) and returns it. */
    static Path quickstart(Path dir, int probes, int identities, int samples) throws IOException {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        ObjectNode cfg = (ObjectNode) ConfigLoader.MAPPER.readTree(examples.resolve("quickstart.json").toFile());
        cfg.put("output", "run");
        cfg.put("probes", probes);
        cfg.put("identities", identities);
        cfg.put("samples_per_identity", samples);
        for (String part : new String[] {"backbone", "recognizer"}) {
            ObjectNode c = (ObjectNode) cfg.get(part);
            c.put("model", examples.resolve(c.get("model").asText()).normalize().toString());
        }
        return Files.writeString(dir.resolve("quickstart.json"), ConfigLoader.toJson(cfg));
    }

    static RunSummary run(Path dir, Path config) {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // providers on the class path
        ResolvedConfig rc = new ConfigLoader(registry).load(config);
        return new Pipeline(rc, registry, Progress.QUIET).run();
    }
}
