package org.exfacegan.training.config;

import static org.exfacegan.runner.config.ConfigLoader.fieldError;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.training.data.Augmenter;
import org.exfacegan.training.net.Networks;

/**
 * Reads a training config as strictly as an experiment config (unknown or missing fields and wrong
 * types are errors naming the field by its JSON pointer) and checks every range and cross-field
 * rule before anything runs. Rules that need the data (enough identities to hold some out, a
 * batch no larger than the training images) are checked by the trainer when it opens the data,
 * and also name the field.
 */
public final class TrainingConfigLoader {
    private TrainingConfigLoader() {}

    /**
     * A training ready to run.
     *
     * @param file   the config file
     * @param config its content, defaults filled in
     * @param output the output folder
     * @param data   the training data (run folder, image folders or .rec file)
     */
    public record Resolved(Path file, TrainingConfig config, Path output, Path data) {}

    public static Resolved load(Path file) {
        TrainingConfig c = ConfigLoader.bindFile(file, TrainingConfig.class);
        Path base = file.toAbsolutePath().normalize().getParent();
        if (c.name().isBlank()) {
            throw fieldError(file, "/name", "must not be empty");
        }
        Path output = ConfigLoader.outputFolder(file, base, c.output());
        Path data;
        try {
            data = base.resolve(c.data()).normalize();
        } catch (InvalidPathException e) {
            throw fieldError(file, "/data", "\"" + c.data().replace("\0", "\\0") + "\" is not a valid path (" + e.getReason() + ")");
        }
        if (c.data().isBlank() || !Files.exists(data)) {
            throw fieldError(file, "/data", "not found: " + data + " (a finished run folder, a folder of identity folders, "
                    + "or a RecordIO .rec file)");
        }
        if (output.equals(data) || data.startsWith(output)) {
            throw fieldError(file, "/output", "is the training data's folder " + data + "; train into another folder");
        }
        checkNetwork(file, c.network());
        checkLoss(file, c.loss());
        checkOptimizer(file, c.optimizer());
        checkSchedule(file, c.schedule());
        range(file, "/batch_size", c.batchSize(), 2, 4096);
        TrainingConfig.RandAugment ra = c.augment().randAugment();
        if (ra != null) {
            range(file, "/augment/rand_augment/ops", ra.ops(), 0, 16);
            range(file, "/augment/rand_augment/magnitude", ra.magnitude(), 0, Augmenter.MAX_MAGNITUDE);
        }
        if (c.holdout().identities() != null) {
            range(file, "/holdout/identities", c.holdout().identities(), 0, 1_000_000);
            if (c.holdout().identities() == 1) {
                throw fieldError(file, "/holdout/identities", "is 1; impostor pairs need at least 2 held-out identities (or 0: none)");
            }
        }
        range(file, "/holdout/pairs", c.holdout().pairs(), 2, 10_000_000);
        // each option checked alone, so the error names its own field
        modelOption(file, "/device", () -> new ModelOptions(null, c.device(), 1, 0));
        modelOption(file, "/threads", () -> new ModelOptions(null, null, 1, c.threads()));
        range(file, "/checkpoint_every", c.checkpointEvery(), 1, Integer.MAX_VALUE);
        return new Resolved(file.toAbsolutePath().normalize(), c, output, data);
    }

    private static void checkNetwork(Path file, TrainingConfig.Network n) {
        oneOf(file, "/network/type", n.type(), Networks.TYPES);
        if (!(n.width() > 0 && n.width() <= 4)) {
            throw fieldError(file, "/network/width", "is " + n.width() + ", must be in (0, 4]");
        }
        range(file, "/network/embedding_size", n.embeddingSize(), 2, 4096);
        if (!(n.dropout() >= 0 && n.dropout() < 1)) {
            throw fieldError(file, "/network/dropout", "is " + n.dropout() + ", must be in [0, 1)");
        }
        if (n.stemStride() != 1 && n.stemStride() != 2) {
            throw fieldError(file, "/network/stem_stride", "is " + n.stemStride() + ", must be 1 or 2");
        }
        if (n.stemStride() != 1 && n.type().equals("mobilefacenet")) {
            throw fieldError(file, "/network/stem_stride", "applies to the iResNets; mobilefacenet's first conv has stride 2 already");
        }
        if (n.dropout() > 0 && n.type().equals("mobilefacenet")) {
            throw fieldError(file, "/network/dropout", "is " + n.dropout() + ", but mobilefacenet has no dropout layer "
                    + "(the iResNet head has one)");
        }
    }

    private static void checkLoss(Path file, TrainingConfig.Loss l) {
        oneOf(file, "/loss/type", l.type(), List.of("cosface", "arcface"));
        if (!(l.s() > 0 && l.s() <= 1024)) {
            throw fieldError(file, "/loss/s", "is " + l.s() + ", must be in (0, 1024]");
        }
        double maxM = l.type().equals("arcface") ? Math.PI / 2 : 1;
        if (!(l.m() >= 0 && l.m() < maxM)) {
            throw fieldError(file, "/loss/m", "is " + l.m() + ", must be in [0, " + (float) maxM + ") for " + l.type());
        }
    }

    private static void checkOptimizer(Path file, TrainingConfig.Optimizer o) {
        if (!(o.lr() > 0 && o.lr() < 100)) {
            throw fieldError(file, "/optimizer/lr", "is " + o.lr() + ", must be in (0, 100)");
        }
        if (!(o.momentum() >= 0 && o.momentum() < 1)) {
            throw fieldError(file, "/optimizer/momentum", "is " + o.momentum() + ", must be in [0, 1)");
        }
        if (!(o.weightDecay() >= 0 && o.weightDecay() < 1)) {
            throw fieldError(file, "/optimizer/weight_decay", "is " + o.weightDecay() + ", must be in [0, 1)");
        }
    }

    private static void checkSchedule(Path file, TrainingConfig.Schedule s) {
        range(file, "/schedule/epochs", s.epochs(), 1, 100_000);
        oneOf(file, "/schedule/type", s.type(), List.of("step", "cosine"));
        if (!(s.warmupEpochs() >= 0 && s.warmupEpochs() <= s.epochs())) {
            throw fieldError(file, "/schedule/warmup_epochs", "is " + s.warmupEpochs() + ", must be in [0, epochs = "
                    + s.epochs() + "]");
        }
        if (!(s.gamma() > 0 && s.gamma() <= 1)) {
            throw fieldError(file, "/schedule/gamma", "is " + s.gamma() + ", must be in (0, 1]");
        }
        if (s.milestones() == null) {
            return;
        }
        if (s.type().equals("cosine")) {
            throw fieldError(file, "/schedule/milestones", "only apply to the \"step\" schedule, not \"cosine\"");
        }
        int previous = 0;
        for (int i = 0; i < s.milestones().size(); i++) {
            Integer m = s.milestones().get(i);
            if (m == null || m <= previous || m > s.epochs()) {
                throw fieldError(file, "/schedule/milestones/" + i, "is " + m + "; milestones are increasing epochs in [1, "
                        + s.epochs() + "]");
            }
            previous = m;
        }
    }

    private static void modelOption(Path file, String pointer, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw fieldError(file, pointer, e.getMessage());
        }
    }

    private static void oneOf(Path file, String pointer, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw fieldError(file, pointer, "unknown value \"" + value + "\"; one of: " + String.join(", ", allowed));
        }
    }

    private static void range(Path file, String pointer, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw fieldError(file, pointer, "is " + value + ", must be in [" + lo + ", " + hi + "]");
        }
    }
}
