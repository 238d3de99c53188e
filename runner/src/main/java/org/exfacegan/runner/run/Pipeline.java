package org.exfacegan.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.recognizer.RecognizerProvider;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelRuntimeProvider;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.runtime.DefaultModelHost;

/**
 * One ExFaceGAN run: probe set -> references -> labels and boundaries -> samples per identity ->
 * dataset files. Every stage is deterministic from the config's seed and leaves its results on
 * disk, so the same command after a crash resumes where it stopped and ends with the same files.
 */
public final class Pipeline {
    public static final String RUN_JSON = "run.json";
    static final long PROBE_SEED = 0x9B0BEL;

    private final ResolvedConfig rc;
    private final PluginRegistry registry;
    private final Progress progress;

    public Pipeline(ResolvedConfig rc, PluginRegistry registry, Progress progress) {
        this.rc = rc;
        this.registry = registry;
        this.progress = progress;
    }

    /** Runs (or resumes) the experiment; returns the run summary. */
    public RunSummary run() {
        ExperimentConfig c = rc.config();
        try (RunFolder folder = RunFolder.open(rc.output())) {
            String hash = Provenance.configHash(c);
            checkSameExperiment(folder, hash);
            ObjectNode runJson = Provenance.describe(rc, registry);
            runJson.put("status", "running");
            folder.writeAtomically(RUN_JSON, ConfigLoader.toJson(runJson));

            Map<String, Double> seconds = new LinkedHashMap<>();
            ModelHost host = modelHost(registry);
            StageClock clock = new StageClock();
            try (Backbone backbone = clock.time(openBackbone(rc.backbone(), host));
                 Recognizer recognizer = clock.time(openRecognizer(rc.recognizer(), host))) {
                Instant t = Instant.now();
                ProbeSet probes = new ProbeStage(folder, backbone, recognizer, progress)
                        .run(Seeds.mix(c.seed(), PROBE_SEED), c.probes());
                t = lap(seconds, "probe", t);
                progress.info(String.format("probe set: %d drawn, %d faces accepted, %d rejected by the recognizer",
                        probes.size(), probes.acceptedCount(), probes.size() - probes.acceptedCount()));

                List<Integer> references = References.select(folder, probes, c.identities(), c.uniqueness());
                Boundaries boundaries = BoundaryStage.run(folder, c, probes, references, progress);
                t = lap(seconds, "fit", t);

                List<Identity> identities = identities(references, c.sampling().bothSides());
                new SampleStage(folder, backbone, recognizer, progress, c.dataset().fullResolution())
                        .run(identities, probes, IdentitySamplers.of(c, probes, boundaries), c.samplesPerIdentity(), 4,
                                c.sampling().minSimilarity(), c.sampling().maxSimilarity());
                t = lap(seconds, "samples", t);

                RunSummary summary = DatasetFinisher.finish(folder, c, probes, identities, boundaries, backbone);
                lap(seconds, "finish", t);
                runJson.put("status", "complete");
                runJson.set("summary", ConfigLoader.MAPPER.valueToTree(summary));
                ObjectNode timing = runJson.putObject("seconds_this_session");
                seconds.forEach(timing::put);
                // inside probe + samples + finish: time in the backbone and the recogniser; the rest is writing
                ObjectNode inside = timing.putObject("models");
                for (String bucket : new String[] {StageClock.GENERATE, StageClock.ALIGN_EMBED, StageClock.GROUND_TRUTH}) {
                    inside.put(bucket, Math.round(clock.seconds(bucket) * 1000) / 1000.0);
                }
                folder.writeAtomically(RUN_JSON, ConfigLoader.toJson(runJson));
                return summary;
            }
        }
    }

    /** The host's model service over every runtime the registry found. */
    public static ModelHost modelHost(PluginRegistry registry) {
        List<ModelRuntimeProvider> out = new ArrayList<>();
        registry.providers(ProviderKind.RUNTIME).forEach(p -> out.add((ModelRuntimeProvider) p.provider()));
        return new DefaultModelHost(out);
    }

    /** A folder holding another experiment's run is refused: mixing them would corrupt both. */
    private void checkSameExperiment(RunFolder folder, String hash) {
        if (!folder.exists(RUN_JSON)) {
            return;
        }
        JsonNode old;
        try {
            old = ConfigLoader.MAPPER.readTree(Files.readString(folder.resolve(RUN_JSON)));
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + folder.resolve(RUN_JSON) + " of the earlier run in this folder: "
                    + e.getMessage() + " (choose a new output folder)", e);
        }
        String oldHash = old.path("config_hash").asText("");
        if (!oldHash.equals(hash)) {
            throw new ConfigException("output folder " + folder.root() + " holds a run of a different config (config hash "
                    + abbreviate(oldHash) + ", this config " + abbreviate(hash) + "); resuming would mix two experiments: "
                    + "restore the config it was started with, or choose another output folder");
        }
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    private static List<Identity> identities(List<Integer> references, boolean bothSides) {
        List<Identity> out = new ArrayList<>();
        for (int b = 0; b < references.size(); b++) {
            out.add(new Identity(out.size(), references.get(b), b, +1));
            if (bothSides) {
                out.add(new Identity(out.size(), references.get(b), b, -1));
            }
        }
        return out;
    }

    static Backbone openBackbone(ResolvedComponent c, ModelHost host) {
        BackboneProvider p = (BackboneProvider) c.provider().provider();
        Backbone b = c.provider().call(() -> p.open(new PluginContext(c.model(), c.settings(), host, c.options())));
        return c.provider().wrap(Backbone.class, b);
    }

    public static Recognizer openRecognizer(ResolvedComponent c, ModelHost host) {
        RecognizerProvider p = (RecognizerProvider) c.provider().provider();
        Recognizer r = c.provider().call(() -> p.open(new PluginContext(c.model(), c.settings(), host, c.options())));
        return c.provider().wrap(Recognizer.class, r);
    }

    private static Instant lap(Map<String, Double> seconds, String stage, Instant since) {
        Instant now = Instant.now();
        seconds.put(stage, Duration.between(since, now).toMillis() / 1000.0);
        return now;
    }

    static ArrayNode array() {
        return ConfigLoader.MAPPER.createArrayNode();
    }
}
