package org.exfacegan.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ComponentConfig;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.plugin.LoadedProvider;
import org.exfacegan.runner.plugin.PluginRegistry;

/** What a run's outputs came from: config, its hash, plugins, model files, runtimes, JVM. */
public final class Provenance {
    private Provenance() {}

    /**
     * SHA-256 of the resolved config, leaving out where models run (device, batch size, threads):
     * they do not change the result, so a run may resume on another machine.
     */
    public static String configHash(ExperimentConfig c) {
        ExperimentConfig canonical = new ExperimentConfig(c.name(), c.seed(), c.output(), portable(c.backbone()),
                portable(c.recognizer()), c.preset(), c.probes(), c.probesUsed(), c.identities(), c.samplesPerIdentity(), c.uniqueness(),
                c.labels(), c.fitter(), c.sampling(), c.dataset());
        return Sha256.of(ConfigLoader.toJson(canonical).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ComponentConfig portable(ComponentConfig c) {
        return new ComponentConfig(c.type(), c.model(), c.runtime(), null, null, null, c.options());
    }

    public static ObjectNode describe(ResolvedConfig rc, PluginRegistry registry) {
        ObjectNode root = ConfigLoader.MAPPER.createObjectNode();
        root.put("config_file", rc.file().toString());
        root.put("config_hash", configHash(rc.config()));
        root.set("config", ConfigLoader.MAPPER.valueToTree(rc.config()));
        root.put("seed", rc.config().seed());
        root.set("backbone", component(rc.backbone()));
        root.set("recognizer", component(rc.recognizer()));
        var runtimes = root.putArray("runtimes");
        for (LoadedProvider r : registry.providers(org.exfacegan.api.ProviderKind.RUNTIME)) {
            runtimes.addObject().put("name", r.name()).put("version", r.version())
                    .put("description", r.description());
        }
        root.putObject("jvm").put("version", System.getProperty("java.runtime.version"))
                .put("vendor", System.getProperty("java.vendor"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        String v = Provenance.class.getPackage().getImplementationVersion();
        root.put("exfacegan_version", v == null ? "development build" : v);
        return root;
    }

    /** A component's provider (name, version, jar and its SHA-256) and model files with their SHA-256. */
    public static JsonNode component(ResolvedComponent c) {
        ObjectNode n = ConfigLoader.MAPPER.createObjectNode();
        LoadedProvider p = c.provider();
        n.put("provider", p.name()).put("version", p.version()).put("api_version", p.apiVersion())
                .put("jar", p.source().toString()).put("jar_sha256", p.source().sha256());
        n.set(ComputeSettings.FIELD, ComputeSettings.record(c.options()));
        var files = n.putObject("model_files");
        for (Path f : modelFiles(c.model())) {
            files.put(f.toString(), sha256(f));
        }
        return n;
    }

    private static final java.util.Set<String> RUN_FILES = java.util.Set.of(FolderClaim.MARKER, RunFolder.LOCK, Pipeline.RUN_JSON);

    /** The model file, and for a descriptor (.json) every file beside it (its graphs, w_avg). */
    static List<Path> modelFiles(Path model) {
        if (!ConfigLoader.isDescriptor(model)) {
            return List.of(model);
        }
        try (Stream<Path> s = Files.list(model.getParent())) {
            // a run's own files are never part of a model (an output folder inside a model folder is refused too)
            return s.filter(Files::isRegularFile).filter(p -> !RUN_FILES.contains(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new ExfaceganException("cannot list model folder " + model.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }
}
