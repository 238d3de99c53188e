package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ComponentConfig;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
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
        return Sha256.of(Json.pretty(canonical).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ComponentConfig portable(ComponentConfig c) {
        return new ComponentConfig(c.type(), c.model(), c.runtime(), null, null, null, c.options());
    }

    /** The run.json of a run of {@code rc} before it starts (no status yet). */
    public static RunRecord describe(ResolvedConfig rc, PluginRegistry registry) {
        List<RunRecord.RuntimeInfo> runtimes = registry.providers(org.exfacegan.api.ProviderKind.RUNTIME).stream()
                .map(r -> new RunRecord.RuntimeInfo(r.name(), r.version(), r.description())).toList();
        return new RunRecord(rc.file().toString(), configHash(rc.config()), rc.config(), rc.config().seed(),
                component(rc.backbone()), component(rc.recognizer()), runtimes, RunRecord.Jvm.current(), version(),
                null, null, null, null, null, null, null);
    }

    /** This program's version, as files record it. */
    public static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** A component's provider (name, version, jar and its SHA-256) and model files with their SHA-256. */
    public static RunRecord.Component component(ResolvedComponent c) {
        LoadedProvider p = c.provider();
        Map<String, String> files = new LinkedHashMap<>();
        for (Path f : modelFiles(c.model())) {
            files.put(f.toString(), sha256(f));
        }
        return new RunRecord.Component(p.name(), p.version(), p.apiVersion(), p.source().toString(), p.source().sha256(),
                compute(c.options()), files);
    }

    /** What run.json records of a component's options. */
    static RunRecord.Compute compute(ModelOptions o) {
        return new RunRecord.Compute(o.device(), o.batchSize(), o.threads());
    }

    /** The model file, and for a descriptor (.json) every file beside it (its graphs, w_avg). */
    public static List<Path> modelFiles(Path model) {
        if (!ConfigLoader.isDescriptor(model)) {
            return List.of(model);
        }
        try (Stream<Path> s = Files.list(model.getParent())) {
            // a run's own files are never part of a model (an output folder inside a model folder is refused too)
            return s.filter(Files::isRegularFile).filter(p -> !RunLayout.BOOKKEEPING.contains(p.getFileName().toString()))
                    .sorted().toList();
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
