package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunSummary;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunOptions;
import org.exfacegan.runner.run.ScaleOut;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs (or resumes) one experiment and prints its summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the ExFaceGAN pipeline for one experiment config.",
            "Killed or failed, the same command resumes where it stopped and ends with the same files."})
final class RunCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "experiment config (JSON)")
    Path config;

    @Option(names = "--restart", description = "discard the run already in the output folder (saying what is deleted) "
            + "and start again, instead of resuming it")
    boolean restart;

    @Option(names = "--no-size-check", description = "run even when the estimated disk or heap need exceeds what this "
            + "machine offers (exfacegan validate prints the estimate); Java's array limits still apply")
    boolean noSizeCheck;

    @Option(names = "--spark", paramLabel = "MASTER", description = "write the probe chunks and identities as Apache Spark "
            + "tasks on MASTER (local[N] on this machine; on a cluster, submit with spark-submit: README, 'Running on a "
            + "cluster'); the files are those of a run without it")
    String spark;

    @Override
    public Integer call() {
        PluginRegistry registry = global().loadPlugins();
        ResolvedConfig rc = new ConfigLoader(registry).load(config);
        Progress progress = global().progress();
        RunOptions options = new RunOptions(restart, !noSizeCheck, notices());
        Pipeline pipeline;
        RunSummary s;
        String location = rc.output().toString();
        if (spark == null) {
            pipeline = new Pipeline(rc, registry, progress, options);
            s = pipeline.run();
        } else {
            ScaleOut engine = ScaleOut.find();
            try (ScaleOut.Session units = engine.start(spark, registry)) {
                pipeline = new Pipeline(units.prepare(rc, restart), registry, progress, options, units);
                s = pipeline.run();
                units.finished();
                location = units.location(rc);
            }
        }
        PrintWriter out = out();
        print(out, location, s);
        if (!pipeline.repaired().isEmpty()) {
            out.println("  repaired: " + pipeline.repaired().size() + " damaged part" + (pipeline.repaired().size() == 1 ? "" : "s")
                    + " written again (see above)");
        }
        return Cli.OK;
    }

    static void print(PrintWriter out, String location, RunSummary s) {
        out.println("run complete: " + location);
        out.printf(Locale.ROOT, "  identities %d, images %d (dataset: %s)%n", s.identities(), s.images(),
                location + "/" + RunLayout.IMAGES);
        out.printf(Locale.ROOT, "  probes: %d drawn, %d accepted%n", s.probesDrawn(), s.probesAccepted());
        out.printf(Locale.ROOT, "  boundaries: held-out accuracy mean %.3f, min %.3f%n", s.boundaryHeldOutMean(),
                s.boundaryHeldOutMin());
        out.printf(Locale.ROOT, "  samples: %d drawn, %d faces rejected, %d below min_similarity, %d above max_similarity; "
                + "mean cosine to reference %.3f%n", s.samplesDrawn(), s.samplesRejectedFaces(), s.samplesBelowMin(),
                s.samplesAboveMax(), s.sampleSimilarityMean());
        if (!Double.isNaN(s.outOfDistributionShare())) {
            out.printf(Locale.ROOT, "  in distribution: %.1f%% of the samples outside the probe latents' 99th percentile of "
                    + "Mahalanobis distance (about 1%% when drawn like the probes)%s%n", 100 * s.outOfDistributionShare(),
                    s.samplesDroppedOutOfDistribution() > 0 ? ", " + s.samplesDroppedOutOfDistribution() + " dropped" : "");
        }
        if (s.identitySubspaceRank() != null) {
            out.printf(Locale.ROOT, "  identity subspace: rank %d (sampling.json: spectrum and held-out capture)%n", s.identitySubspaceRank());
        }
        if (s.groundTruth() != null) {
            Map<String, Double> g = s.groundTruth();
            out.printf(Locale.ROOT, "  ground truth: true-identity distance of samples to their reference %.3f vs random "
                            + "latents %.3f (ratio %.2f, lower keeps identity); between identities %.3f (%.1fx the within-identity distance)%n",
                    g.get("true_identity_distance_samples"), g.get("true_identity_distance_random"), g.get("consistency_ratio"),
                    g.get("true_identity_distance_between_identities"), g.get("separation_ratio"));
            if (g.containsKey("nuisance_spread_ratio")) {
                out.printf(Locale.ROOT, "  ground truth: nuisance (pose, light, expression) distance between two samples of an identity "
                                + "%.3f vs two random latents %.3f (spread %.2f, higher varies more)%n", g.get("nuisance_spread_samples"),
                        g.get("nuisance_spread_random"), g.get("nuisance_spread_ratio"));
            }
        }
        if (s.outOfDistributionHigh()) {
            out.println("  " + RunSummary.outOfDistributionWarning(s));
        }
        if (s.normalShareBySubLatent() != null) {
            StringBuilder shares = new StringBuilder();
            s.normalShareBySubLatent().forEach((name, share) -> shares.append(shares.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.3f", name, share)));
            out.println("  boundary normals by sub-latent (mean share of the squared length): " + shares);
        }
        out.println("  files: manifest.jsonl, latents.npy, boundaries.npy, offsets.npy, contact_sheet.png, summary.json, run.json "
                + (location.contains("://") ? "(the store's markers under _published/ list every file with its SHA-256)"
                : "(SHA-256 sums beside them: exfacegan check " + location + ")"));
    }
}
