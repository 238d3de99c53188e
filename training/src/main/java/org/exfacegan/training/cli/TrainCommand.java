package org.exfacegan.training.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.cli.Subcommand;
import org.exfacegan.training.config.TrainingConfigLoader;
import org.exfacegan.runner.verification.AccuracyFigures;
import org.exfacegan.training.train.EpochRecord;
import org.exfacegan.training.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code exfacegan train CONFIG.json}: trains (or resumes training) a face recogniser. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a face recogniser (iResNet or MobileFaceNet, CosFace or ArcFace) on a run folder, a folder "
                + "of identity folders or a RecordIO train.rec, on DJL's PyTorch engine (docs/training.md).",
            "Killed or failed, the same command resumes from the last checkpoint and ends with the same weights."})
public final class TrainCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "training config (JSON)")
    Path config;

    @Override
    public Integer call() {
        TrainingConfigLoader.Resolved job = TrainingConfigLoader.load(config);
        Trainer.Result r = new Trainer(job, global().progress()).run();
        print(out(), r);
        return Cli.OK;
    }

    static void print(PrintWriter out, Trainer.Result r) {
        out.println((r.already() ? "training already complete: " : "training complete: ") + r.output());
        List<EpochRecord> curve = r.curve();
        EpochRecord first = curve.get(0);
        EpochRecord last = curve.get(curve.size() - 1);
        if (last.loss() != null) {
            out.printf(Locale.ROOT, "  epochs %d, steps %d, final loss %.3f, training accuracy %.3f%n", last.epoch(), last.step(),
                    last.loss(), last.trainAccuracy());
        }
        for (String set : last.evaluation().keySet()) {
            AccuracyFigures before = first.evaluation().get(set);
            AccuracyFigures after = last.evaluation().get(set);
            out.printf(Locale.ROOT, "  %s: verification accuracy %.2f%% +- %.2f, EER %.4f (untrained network %.2f%%, EER %.4f)%n",
                    set, 100 * after.accuracy(), 100 * after.accuracyStd(), after.eer(), 100 * before.accuracy(), before.eer());
        }
        r.evaluated().forEach(d -> out.println("    " + d));
        out.println("  model: " + r.model() + " (TorchScript; as a recogniser: " + r.output().resolve(Trainer.RECOGNIZER) + ")");
        out.println("  files: " + Trainer.MODEL + ", " + Trainer.RECOGNIZER + ", " + Trainer.RESULT + ", " + Trainer.CHART + ", "
                + Trainer.INITIAL);
    }
}
