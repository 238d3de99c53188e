package org.exfacegan.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.config.ComponentConfig;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunSummary;

/** Measures a finished run: re-embeds its written images with the run's own recogniser, then computes {@link RunMetrics}. */
public final class RunMeasurer {
    /** Seed of the pair sample of large datasets: fixed, so a report is reproducible. */
    static final long PAIR_SEED = 0x5C0DE5L;

    private final PluginRegistry registry;
    private final double lookalikeThreshold;
    private final long maxPairs;
    private final Progress progress;

    public RunMeasurer(PluginRegistry registry, double lookalikeThreshold, long maxPairs, Progress progress) {
        this.registry = registry;
        this.lookalikeThreshold = lookalikeThreshold;
        this.maxPairs = maxPairs;
        this.progress = progress;
    }

    public RunEvaluation measure(String label, Path folder) {
        FinishedRun run = FinishedRun.read(folder);
        RunEmbedder.Result emb;
        ResolvedComponent component = recognizerOf(run);
        checkSameModel(run, component.model());
        try (Recognizer recognizer = Pipeline.openRecognizer(component, Pipeline.modelHost(registry))) {
            emb = RunEmbedder.embed(run, recognizer, progress);
        }
        PairScores pairs = PairScores.of(emb.perIdentity(), maxPairs, PAIR_SEED);
        // one image per identity gives no genuine pair, one identity no impostor pair: no error rates then
        ErrorRates rates = pairs.genuine().length > 0 && pairs.impostor().length > 0
                ? ErrorRates.of(pairs.genuine(), pairs.impostor()) : null;
        JsonNode config = run.runJson().path("config");
        return new RunEvaluation(label, folder.toString(), config.path("backbone").path("type").asText(),
                config.path("fitter").path("type").asText(), config.path("sampling").path("mode").asText(),
                metrics(run, emb, pairs, rates), run.runJson(), pairs, rates);
    }

    /** The recogniser of the run's stored config, its model path taken against the run's config file. */
    private ResolvedComponent recognizerOf(FinishedRun run) {
        Path runJson = run.folder().resolve(Pipeline.RUN_JSON);
        ComponentConfig c;
        try {
            c = ConfigLoader.MAPPER.treeToValue(run.runJson().path("config").path("recognizer"), ComponentConfig.class);
        } catch (IOException e) {
            throw new ExfaceganException(runJson + ": /config/recognizer is not a recogniser section: " + e.getMessage(), e);
        }
        Path base = Path.of(run.runJson().path("config_file").asText(runJson.toString())).getParent();
        return new ConfigLoader(registry).recognizer(runJson, "/config/recognizer", base, c);
    }

    /** The report must embed with the model the run used: its SHA-256 must be among those run.json records. */
    private static void checkSameModel(FinishedRun run, Path model) {
        JsonNode recorded = run.runJson().path("recognizer").path("model_files");
        if (!recorded.isObject() || recorded.isEmpty()) {
            return; // no hashes recorded: nothing to check against
        }
        String sha;
        try {
            sha = Sha256.of(model);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read recogniser model " + model + ": " + e.getMessage(), e);
        }
        for (JsonNode v : recorded) {
            if (v.asText().equals(sha)) {
                return;
            }
        }
        throw new ExfaceganException("recogniser model " + model + " (SHA-256 " + sha.substring(0, 12) + ") is not the one run "
                + run.folder() + " was made with (run.json /recognizer/model_files: " + recorded
                + "): its report would measure another recogniser");
    }

    RunMetrics metrics(FinishedRun run, RunEmbedder.Result emb, PairScores pairs, ErrorRates rates) {
        ScoreStats g = ScoreStats.of(pairs.genuine());
        ScoreStats im = ScoreStats.of(pairs.impostor());
        Separability sep = Separability.of(g, im);

        // consistency on the reference side only: a far-side identity is meant to differ from its reference
        List<float[][]> near = new ArrayList<>();
        List<float[]> nearRefs = new ArrayList<>();
        double replay = 0;
        for (int a = 0; a < run.identities().size(); a++) {
            FinishedRun.IdentityImages id = run.identities().get(a);
            float[][] e = emb.perIdentity().get(a);
            if (e.length == id.similarities().size()) {
                for (int k = 0; k < e.length; k++) {
                    double again = PairScores.cosine(e[k], emb.references().get(a));
                    replay = Math.max(replay, Math.abs(again - id.similarities().get(k)));
                }
            }
            if (id.side() > 0) {
                near.add(e);
                nearRefs.add(emb.references().get(a));
            }
        }
        double[] consistency = IdentityStats.consistency(near, nearRefs);
        long[] look = IdentityStats.lookAlikes(emb.perIdentity(), lookalikeThreshold);

        RunSummary s = run.summary();
        int probesRejected = s.probesDrawn() - s.probesAccepted();
        // totals over every finished session; runs made before totals were kept have this session's only
        boolean totals = run.runJson().has("work_total");
        JsonNode seconds = run.runJson().path(totals ? "seconds_total" : "seconds_this_session");
        JsonNode work = run.runJson().path(totals ? "work_total" : "work_this_session");
        return new RunMetrics(run.identities().size(), run.images(), run.heldOut().length, mean(run.heldOut()),
                min(run.heldOut()), consistency[0], consistency[1], replay, g, im,
                pairs.genuineSampled() || pairs.impostorSampled(), rates == null ? Double.NaN : rates.eer(),
                rates == null ? Double.NaN : rates.eerThreshold(), rates == null ? Double.NaN : rates.fnmrAtFmr(1e-2),
                rates == null ? Double.NaN : rates.fnmrAtFmr(1e-3), sep.fdr(), sep.dPrime(),
                IdentityStats.diversity(emb.perIdentity()), lookalikeThreshold, look[0], look[1],
                look[1] == 0 ? Double.NaN : (double) look[0] / look[1],
                s.probesDrawn(), probesRejected, s.samplesDrawn(), s.samplesRejectedFaces(),
                s.samplesBelowMin() + s.samplesAboveMax(), emb.rejected(),
                (double) (probesRejected + s.samplesRejectedFaces()) / (s.probesDrawn() + s.samplesDrawn()),
                rate(work.path("images"), seconds.path("samples")), rate(work.path("boundaries"), seconds.path("fit")),
                s.outOfDistributionShare(), s.groundTruth());
    }

    /** Work per second; NaN when not recorded (runs made before timings were kept) or when nothing was done. */
    static double rate(JsonNode count, JsonNode seconds) {
        if (!count.isNumber() || !seconds.isNumber() || count.asDouble() == 0) {
            return Double.NaN;
        }
        return count.asDouble() / Math.max(seconds.asDouble(), 1e-3);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double min(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            m = Double.isNaN(m) ? x : Math.min(m, x);
        }
        return m;
    }
}
