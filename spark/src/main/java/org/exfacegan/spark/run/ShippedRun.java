package org.exfacegan.spark.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Provenance;
import org.exfacegan.runner.run.RunFolder;

/**
 * What executors need to run a driver's config: its plugin jars and model files under shipped names
 * ({@code plugins/...}, {@code models/backbone/...}, {@code models/recognizer/...}), and the config's
 * text with the model paths made those names, the output absolute and the compute settings those the
 * run goes by (on a resume: those it started with).
 */
final class ShippedRun {
    static final String PLUGINS = "plugins";

    private ShippedRun() {}

    /** The driver's files by shipped name. */
    static Map<String, Path> files(ResolvedConfig rc, PluginRegistry registry) {
        Map<String, Path> files = new TreeMap<>();
        for (ProviderKind kind : ProviderKind.values()) {
            registry.providers(kind).stream().filter(p -> !p.source().isBuiltIn())
                    .forEach(p -> addPlugin(files, p.source().location()));
        }
        for (Path f : Provenance.modelFiles(rc.backbone().model())) {
            files.put(modelName(ROLES[0], f), f);
        }
        for (Path f : Provenance.modelFiles(rc.recognizer().model())) {
            files.put(modelName(ROLES[1], f), f);
        }
        return files;
    }

    private static void addPlugin(Map<String, Path> files, Path location) {
        Path base = location.getParent();
        if (!Files.isDirectory(location)) {
            files.put(PLUGINS + "/" + location.getFileName(), location);
            return;
        }
        try (Stream<Path> s = Files.walk(location)) {
            s.filter(Files::isRegularFile).forEach(f -> files.put(PLUGINS + "/" + base.relativize(f).toString().replace('\\', '/'), f));
        } catch (IOException e) {
            throw new ExfaceganException("cannot read plugin folder " + location + " to ship it: " + RunFolder.describe(e), e);
        }
    }

    private static String modelName(String role, Path file) {
        return "models/" + role + "/" + file.getFileName();
    }

    /** The config executors load: models by shipped name, output absolute, the run's compute settings. */
    static String config(ResolvedConfig rc) {
        ObjectNode tree = (ObjectNode) ConfigLoader.readObject(rc.file());
        tree.put("output", rc.output().toString());
        component((ObjectNode) tree.get(ROLES[0]), ROLES[0], rc.backbone());
        component((ObjectNode) tree.get(ROLES[1]), ROLES[1], rc.recognizer());
        return Json.pretty(tree);
    }

    private static void component(ObjectNode node, String role, ResolvedComponent c) {
        node.put("model", modelName(role, c.model()));
        ModelOptions o = c.options();
        node.put("device", o.device());
        node.put("batch_size", o.batchSize());
        node.put("threads", o.threads());
    }

    static final String[] ROLES = {"backbone", "recognizer"};

    /** The devices the shipped config's models run on, by {@link #ROLES} ("cpu", or a GPU that Spark's assignment overrules). */
    static String[] devices(String config) {
        ObjectNode tree = tree(config);
        return new String[] {tree.get(ROLES[0]).get("device").asText(), tree.get(ROLES[1]).get("device").asText()};
    }

    private static ObjectNode tree(String config) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(config);
        } catch (IOException e) {
            throw new ExfaceganException("the shipped config cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * On an executor: the shipped config with its model names resolved in {@code folder} (the
     * executor's copy) and the models on {@code devices} (by {@link #ROLES}), written to a file of this
     * JVM and loaded.
     *
     * @param output the run folder the task writes into instead of the shipped one (a scratch folder); null: the shipped one
     */
    static ResolvedConfig load(String config, Path folder, String[] devices, Path output, PluginRegistry registry) {
        ObjectNode tree = tree(config);
        if (output != null) {
            tree.put("output", output.toString());
        }
        for (int i = 0; i < ROLES.length; i++) {
            ObjectNode node = (ObjectNode) tree.get(ROLES[i]);
            node.put("model", folder.resolve(node.get("model").asText()).toString());
            node.put("device", devices[i]);
        }
        try {
            Path file = Files.createTempFile("exfacegan-task-", ".json");
            try {
                Files.writeString(file, Json.pretty(tree));
                return new ConfigLoader(registry).load(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot write the task's config file: " + RunFolder.describe(e), e);
        }
    }
}
