package org.exfacegan.runner.run;

import java.util.List;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.layout.ReferencesRecord;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.pipeline.fit.Boundaries;

/**
 * Writes single units of a run that a driver prepared (a Spark task): a probe chunk, or an identity
 * once the probe set and the boundaries are on disk. It opens the run's models itself and runs the
 * stages' own code ({@link ProbeStage#writeChunk}, {@link SampleStage#writeIdentity}), reading what
 * the earlier stages wrote, so its files are those the driver's own process would have written.
 * Not for concurrent use: one worker per thread.
 */
public final class RunWorker implements AutoCloseable {
    private final ExperimentConfig c;
    private final RunFolder folder;
    private final Backbone backbone;
    private final Recognizer recognizer;
    private List<Identity> identities; // read on the first identity
    private SampleStage.Work work;

    private RunWorker(ExperimentConfig c, RunFolder folder, Backbone backbone, Recognizer recognizer) {
        this.c = c;
        this.folder = folder;
        this.backbone = backbone;
        this.recognizer = recognizer;
    }

    /** Opens the models of {@code rc} (as the driver resolved it, compute settings included) on the run's folder. */
    public static RunWorker open(ResolvedConfig rc, PluginRegistry registry) {
        RunFolder folder = RunFolder.forTask(rc.output());
        ModelHost host = Pipeline.modelHost(registry);
        Backbone backbone = Pipeline.openBackbone(rc.backbone(), host);
        try {
            return new RunWorker(rc.config(), folder, backbone, Pipeline.openRecognizer(rc.recognizer(), host));
        } catch (RuntimeException | Error e) {
            backbone.close();
            throw e;
        }
    }

    /** Writes one unit of {@code kind}: a probe chunk or an identity. */
    public void write(UnitRunner.Kind kind, int unit) {
        switch (kind) {
            case PROBE_CHUNK -> writeProbeChunk(unit);
            case IDENTITY -> writeIdentity(unit);
        }
    }

    /** Writes probe chunk {@code chunk} (of {@link ProbeStage#CHUNK} probes). */
    public void writeProbeChunk(int chunk) {
        if (chunk < 0 || chunk >= ProbeStage.chunks(c.probes())) {
            throw new IllegalArgumentException("probe chunk " + chunk + " of " + ProbeStage.chunks(c.probes()));
        }
        new ProbeStage(folder, backbone, recognizer, Progress.QUIET).writeChunk(chunk, Pipeline.probeStream(c.seed()), c.probes());
    }

    /** Writes identity {@code index} of the run; the probe set, references and boundaries must be written. */
    public void writeIdentity(int index) {
        if (work == null) {
            readEarlierStages();
        }
        if (index < 0 || index >= identities.size()) {
            throw new IllegalArgumentException("identity " + index + " of " + identities.size());
        }
        new SampleStage(folder, backbone, recognizer, Progress.QUIET, c.dataset().fullResolution())
                .writeIdentity(identities.get(index), work);
    }

    /** What the driver computed before the identities, as it wrote it (the driver verified the checksums). */
    private void readEarlierStages() {
        ProbeSet probes = ProbeStage.load(folder).firstAccepted(c.probesUsed());
        List<Integer> references = folder.read(RunLayout.REFERENCES_JSON, ReferencesRecord.class).references();
        Boundaries boundaries = BoundaryStage.load(folder, references.size(), probes.dim());
        identities = Identity.of(references, c.sampling().twoSided());
        work = SampleStage.Work.of(c, probes, SamplingPlan.again(c, probes, boundaries));
    }

    @Override
    public void close() {
        try (Backbone b = backbone; Recognizer r = recognizer) {
            folder.close();
        }
    }
}
