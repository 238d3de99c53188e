package org.exfacegan.runner.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.ManifestLine;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.layout.RunSummary;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runtime.DefaultModelHost;

/**
 * One ExFaceGAN run: probe set -> references -> labels and boundaries -> samples per identity ->
 * dataset files. Every stage is deterministic from the config's seed and leaves its results on
 * disk, so the same command after a crash resumes where it stopped and ends with the same files.
 */
public final class Pipeline {
    static final long PROBE_SEED = 0x9B0BEL;

    private final ResolvedConfig rc;
    private final PluginRegistry registry;
    private final Progress progress;
    private final RunOptions options;
    private final UnitRunner units;
    private final List<String> repaired = new ArrayList<>();

    public Pipeline(ResolvedConfig rc, PluginRegistry registry, Progress progress) {
        this(rc, registry, progress, RunOptions.defaults(progress::info));
    }

    public Pipeline(ResolvedConfig rc, PluginRegistry registry, Progress progress, RunOptions options) {
        this(rc, registry, progress, options, UnitRunner.IN_PROCESS);
    }

    /** A run whose probe chunks and identities are written by {@code units} (e.g. Spark tasks). */
    public Pipeline(ResolvedConfig rc, PluginRegistry registry, Progress progress, RunOptions options, UnitRunner units) {
        this.units = units;
        this.rc = rc;
        this.registry = registry;
        this.progress = progress;
        this.options = options;
    }

    /** What the last {@link #run} found damaged and wrote again, one line each. */
    public List<String> repaired() {
        return List.copyOf(repaired);
    }

    /** Runs (or resumes) the experiment; returns the run summary. */
    public RunSummary run() {
        try (RunFolder folder = RunFolder.open(rc.output())) {
            if (options.restart() && folder.holdsResults()) {
                options.notices().accept("restart: deleting the earlier run in " + folder.root() + " ("
                        + folder.describeContents() + ")");
                folder.discardRun();
            }
            try {
                RunSummary summary = run(folder);
                CurrentStage.leave(); // on failure it stays: the error message names the stage
                return summary;
            } catch (RuntimeException | Error e) {
                forgetIfEmpty(folder);
                throw e;
            }
        }
    }

    /**
     * A run that failed before computing anything leaves only the folder's marker and lock, which
     * the next try of any config accepts: nothing of it can block or mislead a later run.
     */
    private static void forgetIfEmpty(RunFolder folder) {
        try {
            if (!folder.holdsResults()) {
                folder.delete(RunLayout.RUN_JSON);
                folder.clearTemporaries();
            }
        } catch (RuntimeException | Error ignored) {
            // the first failure is the one to report; the next run copes with what is left
        }
    }

    private RunSummary run(RunFolder folder) {
        boolean resuming = folder.holdsResults();
        ResolvedConfig effective = rc;
        RunRecord earlier = null;
        RunRecord runJson = Provenance.describe(rc, registry);
        if (resuming) {
            earlier = checkSameExperiment(folder.root(), rc, runJson);
            effective = ComputeSettings.reuse(rc, earlier, options.notices());
            runJson = runJson.withCompute(Provenance.compute(effective.backbone().options()),
                    Provenance.compute(effective.recognizer().options()));
        }
        folder.clearTemporaries();
        ExperimentConfig c = effective.config();
        runJson = runJson.running(earlier);

        ModelHost host = modelHost(registry);
        StageClock clock = new StageClock();
        CurrentStage.enter("opening the models");
        try (Backbone backbone = clock.time(openBackbone(effective.backbone(), host));
             Recognizer recognizer = clock.time(openRecognizer(effective.recognizer(), host))) {
            checkSize(effective, backbone, recognizer);
            folder.writeAtomically(RunLayout.RUN_JSON, Json.pretty(runJson));
            Instant t0 = Instant.now();
            CurrentStage.enter("probe set");
            ProbeSet probes = new ProbeStage(folder, backbone, recognizer, progress)
                    .run(probeStream(c.seed()), c.probes(), this::repaired, units, effective);
            Instant t1 = Instant.now();
            progress.info(String.format("probe set: %d drawn, %d faces accepted, %d rejected by the recognizer",
                    probes.size(), probes.acceptedCount(), probes.size() - probes.acceptedCount()));
            probes = probes.firstAccepted(c.probesUsed());

            CurrentStage.enter("boundaries");
            List<Integer> references = References.select(folder, probes, c.identities(), c.uniqueness());
            boolean fitting = !BoundaryStage.isDone(folder);
            Boundaries boundaries = BoundaryStage.run(folder, c, probes, references, progress, this::repaired);
            Instant t2 = Instant.now();

            CurrentStage.enter("samples");
            List<Identity> identities = Identity.of(references, c.sampling().twoSided());
            List<Identity> todo = identitiesToWrite(folder, identities, resuming);
            SamplingPlan plan = SamplingPlan.of(folder, c, probes, boundaries, progress);
            new SampleStage(folder, backbone, recognizer, progress, c.dataset().fullResolution())
                    .run(identities, todo, SampleStage.Work.of(c, probes, plan), units, effective);
            Instant t3 = Instant.now();

            CurrentStage.enter("finish");
            RunSummary summary = DatasetFinisher.finish(folder, c, probes, identities, boundaries, backbone, plan);
            if (summary.outOfDistributionShare() > RunSummary.OUT_OF_DISTRIBUTION_WARNING) {
                progress.info(RunSummary.outOfDistributionWarning(summary));
            }
            Instant t4 = Instant.now();
            // inside probe + samples + finish: time in the backbone and the recogniser; the rest is writing
            RunRecord.Seconds seconds = new RunRecord.Seconds(seconds(t0, t1), seconds(t1, t2), seconds(t2, t3), seconds(t3, t4),
                    new RunRecord.ModelSeconds(clock.rounded(StageClock.GENERATE), clock.rounded(StageClock.ALIGN_EMBED),
                            clock.rounded(StageClock.GROUND_TRUTH)));
            // what this session did in those seconds (a resumed run skips finished work): throughput
            RunRecord.Work work = new RunRecord.Work(fitting ? references.size() : 0, todo.size(), imagesOf(folder, todo));
            folder.writeAtomically(RunLayout.RUN_JSON, Json.pretty(runJson.complete(summary, repaired, seconds, work)));
            folder.clearTemporaries();
            return summary;
        }
    }

    /**
     * Refuses a run that cannot fit (see {@link SizeEstimate}): first judged on upper bounds from
     * the models' sizes alone; only when those do not fit is one image rendered for the real crop size.
     */
    private void checkSize(ResolvedConfig rc, Backbone backbone, Recognizer recognizer) {
        ExperimentConfig c = rc.config();
        try {
            SizeEstimate.of(c, SizeEstimate.Dims.bounds(backbone.layout(), recognizer.embeddingSize())).require(rc, options.sizeCheck());
        } catch (ConfigException tooBig) {
            SizeEstimate.of(c, SizeEstimate.Dims.measure(backbone, recognizer, probeStream(c.seed())))
                    .require(rc, options.sizeCheck());
        }
    }

    private void repaired(String what) {
        repaired.add(what);
        options.notices().accept(what);
    }

    /**
     * The identities not yet written whole. On a resume every written identity is verified against
     * its checksums (in parallel): one with a file missing or changed is written again, and said so.
     */
    private List<Identity> identitiesToWrite(RunFolder folder, List<Identity> identities, boolean resuming) {
        if (!resuming) {
            return identities;
        }
        List<Identity> todo = new ArrayList<>();
        for (RunCheck.IdentityState s : RunCheck.identities(folder, identities, progress)) {
            if (!s.intact()) {
                todo.add(s.identity());
            }
            if (s.written() && !s.problems().isEmpty()) {
                repaired("repairing identity " + s.identity().name() + ": " + Checksums.summarise(s.problems()));
            }
        }
        return todo;
    }

    private static int imagesOf(RunFolder folder, List<Identity> identities) {
        int n = 0;
        for (Identity id : identities) {
            n += folder.readLines(RunLayout.identityManifest(id.name()), ManifestLine.class).size();
        }
        return n;
    }

    /**
     * What {@link #run} would find in the config's output folder, checked as it checks it and reading
     * only (for validate): a folder a run may not take, or one holding a run of another config,
     * plugin or model file, is refused with the same error. Returns whether a run there would resume.
     */
    public static boolean checkOutput(ResolvedConfig rc, PluginRegistry registry) {
        RunFolder.checkUsable(rc.output());
        if (!RunFolder.holdsResults(rc.output())) {
            return false;
        }
        checkSameExperiment(rc.output(), rc, Provenance.describe(rc, registry));
        return true;
    }

    /** What a config's run will need, from its models' sizes and one rendered image (for validate). */
    public static SizeEstimate estimate(ResolvedConfig rc, PluginRegistry registry) {
        ModelHost host = modelHost(registry);
        try (Backbone backbone = openBackbone(rc.backbone(), host); Recognizer recognizer = openRecognizer(rc.recognizer(), host)) {
            return SizeEstimate.of(rc.config(), SizeEstimate.Dims.measure(backbone, recognizer, probeStream(rc.config().seed())));
        }
    }

    /** The host's model service over every runtime the registry found. */
    public static ModelHost modelHost(PluginRegistry registry) {
        List<DefaultModelHost.Runtime> out = new ArrayList<>();
        registry.providers(ProviderKind.RUNTIME).forEach(p -> out.add(new DefaultModelHost.Runtime(p.name(),
                p.info().fileExtensions(), p.source().isBuiltIn(), (ModelRuntimeProvider) p.provider())));
        return DefaultModelHost.of(out);
    }

    /**
     * A folder holding another experiment's run, or one made with other plugin code or model files,
     * is refused: mixing them would corrupt both. Returns the earlier run.json.
     */
    private static RunRecord checkSameExperiment(java.nio.file.Path folder, ResolvedConfig rc, RunRecord now) {
        if (!java.nio.file.Files.exists(folder.resolve(RunLayout.RUN_JSON), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ExfaceganException("output folder " + folder + " holds results but no " + RunLayout.RUN_JSON
                    + " saying which config made them; use --restart to discard them, or choose another output folder");
        }
        RunRecord old = RunRecord.read(folder);
        String oldHash = old.configHash() == null ? "" : old.configHash();
        if (!oldHash.equals(now.configHash())) {
            throw new ConfigException("output folder " + folder + " holds a run of a different config (config hash "
                    + abbreviate(oldHash) + ", this config " + abbreviate(now.configHash()) + "); resuming would mix two experiments: "
                    + "restore the config it was started with, use --restart to discard that run, or choose another output folder");
        }
        checkSameCode(folder, "backbone", rc.backbone().model(), old.backbone(), now.backbone());
        checkSameCode(folder, "recognizer", rc.recognizer().model(), old.recognizer(), now.recognizer());
        return old;
    }

    /**
     * The run's files also depend on the plugin's code and the model files: a plugin upgraded or a
     * model file re-exported between a crash and the resume would silently mix two models.
     */
    private static void checkSameCode(java.nio.file.Path folder, String role, java.nio.file.Path model, RunRecord.Component old,
                                      RunRecord.Component now) {
        if (old == null) {
            old = new RunRecord.Component(null, null, null, null, null, null, Map.of());
        }
        if (!Objects.equals(old.provider(), now.provider()) || !Objects.equals(old.version(), now.version())
                || !Objects.equals(old.jarSha256(), now.jarSha256())) {
            throw new ConfigException("output folder " + folder + " holds a run made with " + role + " plugin "
                    + old.provider() + " " + old.version() + " (jar SHA-256 " + abbreviate(orDash(old.jarSha256())) + "), now "
                    + now.provider() + " " + now.version() + " (" + abbreviate(orDash(now.jarSha256())) + "); resuming "
                    + "would mix the output of two plugins: restore the plugin it was started with, or choose another output folder");
        }
        Map<String, String> before = new LinkedHashMap<>();
        if (old.modelFiles() != null) {
            old.modelFiles().forEach((path, sha) -> before.put(java.nio.file.Path.of(path).getFileName().toString(), sha));
        }
        for (var e : now.modelFiles().entrySet()) {
            String name = java.nio.file.Path.of(e.getKey()).getFileName().toString();
            if (name.endsWith(".json") && !name.equals(model.getFileName().toString())) {
                continue; // configs beside a descriptor are no part of the model
            }
            String was = before.get(name);
            if (was != null && !was.equals(e.getValue())) {
                throw new ConfigException("output folder " + folder + " holds a run made with another " + name + " for the "
                        + role + " (SHA-256 " + abbreviate(was) + ", now " + abbreviate(e.getValue()) + " at " + e.getKey()
                        + "); resuming would mix two models: restore the file it was started with, or choose another output folder");
            }
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    /** The z stream of a run's probes: probe i of a run with this seed is z sample i of the stream. */
    public static long probeStream(long seed) {
        return Seeds.mix(seed, PROBE_SEED);
    }

    public static Backbone openBackbone(ResolvedComponent c, ModelHost host) {
        BackboneProvider p = (BackboneProvider) c.provider().provider();
        Backbone b = c.provider().call(() -> p.open(new PluginContext(c.model(), c.settings(), host, c.options(), PluginJson.READER)));
        return c.provider().wrap(Backbone.class, b);
    }

    public static Recognizer openRecognizer(ResolvedComponent c, ModelHost host) {
        RecognizerProvider p = (RecognizerProvider) c.provider().provider();
        Recognizer r = c.provider().call(() -> p.open(new PluginContext(c.model(), c.settings(), host, c.options(), PluginJson.READER)));
        return c.provider().wrap(Recognizer.class, r);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
