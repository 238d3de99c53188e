package org.exfacegan.training.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.data.Batches;
import org.exfacegan.training.engine.LearningRate;
import org.exfacegan.training.engine.MarginLoss;
import org.exfacegan.training.engine.MarginTraining;
import org.exfacegan.training.engine.TorchNetwork;
import org.exfacegan.training.eval.Embedder;
import org.exfacegan.training.eval.Evaluator;
import org.exfacegan.runner.verification.AccuracyFigures;

/**
 * The training loop: steps over the seeded batches with the scheduled learning rate, the running
 * loss and accuracy of the epoch, an evaluation and a record after every epoch (and one before the
 * first step), checkpoints every {@code checkpoint_every} steps and after every epoch.
 */
final class TrainingLoop {
    private static final long DROPOUT = 0xD507L;
    private static final long HEAD = 0x4EADL;

    private final TrainingConfig c;
    private final TorchNetwork network;
    private final MarginTraining training;
    private final Evaluator evaluator;
    private final Progress progressBar;

    TrainingLoop(TrainingConfig c, Engine engine, TorchNetwork network, NDManager headManager, int classes, Evaluator evaluator,
                 Progress progress, Checkpoint cp) {
        this.c = c;
        this.network = network;
        this.evaluator = evaluator;
        this.progressBar = progress;
        MarginLoss loss = new MarginLoss(c.loss().type().equals("arcface") ? MarginLoss.Type.ARCFACE : MarginLoss.Type.COSFACE,
                c.loss().s(), c.loss().m());
        int d = c.network().embeddingSize();
        float[] head = MarginTraining.initialHead(classes, d, Seeds.random(c.seed(), HEAD));
        float[] velocities = null;
        if (cp != null) {
            Npy.Array h = cp.head();
            if (h.shape().length != 2 || h.shape()[0] != classes || h.shape()[1] != d) {
                throw new ExfaceganException("checkpoint " + cp.folder() + ": class weights of shape "
                        + java.util.Arrays.toString(h.shape()) + ", expected [" + classes + ", " + d + "]");
            }
            head = h.floats();
            velocities = cp.momentum();
        }
        try {
            training = new MarginTraining(engine, network, headManager, classes, d, loss, c.optimizer().momentum(),
                    c.optimizer().weightDecay(), head, velocities);
        } catch (IllegalArgumentException e) {
            throw new ExfaceganException("checkpoint " + (cp == null ? "?" : cp.folder()) + ": " + e.getMessage(), e);
        }
    }

    List<EpochRecord> train(RunFolder folder, Batches batches, TrainState fresh, Checkpoint cp) {
        int spe = batches.stepsPerEpoch();
        long total = (long) spe * c.schedule().epochs();
        TrainingConfig.Schedule s = c.schedule();
        LearningRate lr = new LearningRate(c.optimizer().lr(), s.type(), s.warmupEpochs(), s.stepMilestones(), s.gamma(), spe,
                s.epochs());
        TrainState state = cp != null ? cp.state() : fresh;
        List<EpochRecord> curve = new ArrayList<>(state.curve());
        if (curve.isEmpty()) {
            curve.add(new EpochRecord(0, 0, null, null, null, evaluate(), null));
            progress(curve.get(0));
        }
        long step = state.step();
        double lossSum = state.epochLossSum();
        long correct = state.epochCorrect();
        long images = state.epochImages();
        long clockStart = System.nanoTime();
        long clockImages = 0;
        int batch = c.batchSize();
        try (Progress.Stage stage = progressBar.stage("train", total * batch, step * batch, "images")) {
            while (step < total) {
                int epoch = (int) (step / spe);
                Batches.Batch b = batches.get(epoch, (int) (step % spe));
                double rate = lr.at(step);
                MarginTraining.StepResult result = step(b, rate, step);
                step++;
                lossSum += result.loss();
                correct += result.correct();
                images += batch;
                clockImages += batch;
                stage.step(batch);
                stage.message(String.format(Locale.ROOT, "epoch %d, loss %.3f, acc %.3f", epoch + 1, lossSum / (images / batch),
                        correct / (double) images));
                boolean epochEnd = step % spe == 0;
                if (epochEnd) {
                    double seconds = (System.nanoTime() - clockStart) / 1e9;
                    EpochRecord r = new EpochRecord(epoch + 1, step, rate, lossSum / spe, correct / (double) images, evaluate(),
                            clockImages / seconds);
                    curve.add(r);
                    progress(r);
                    lossSum = 0;
                    correct = 0;
                    images = 0;
                    clockStart = System.nanoTime();
                    clockImages = 0;
                }
                if (epochEnd || step % c.checkpointEvery() == 0) {
                    TrainState now = new TrainState(state.configHash(), state.dataSummary(), step, lossSum, correct, images,
                            List.copyOf(curve));
                    Checkpoint.write(folder, now, network.toBytes(),
                            new Npy.Array(Npy.DType.FLOAT32, new long[] {training.classes(), c.network().embeddingSize()},
                                    training.headWeights()),
                            training.velocities());
                }
            }
        }
        return curve;
    }

    /** One optimiser step; a loss that is no longer finite stops the training with advice. */
    private MarginTraining.StepResult step(Batches.Batch b, double rate, long step) {
        MarginTraining.StepResult r = training.step(b.input(), b.labels(), rate, Seeds.mix(c.seed(), DROPOUT, step));
        if (!Float.isFinite(r.loss())) {
            throw new ExfaceganException(String.format(Locale.ROOT, "training diverged at step %d: the loss is %s "
                    + "(learning rate %.4g); lower optimizer.lr or add schedule.warmup_epochs", step + 1, r.loss(), rate));
        }
        return r;
    }

    private Map<String, AccuracyFigures> evaluate() {
        if (evaluator.isEmpty()) {
            return Map.of();
        }
        Embedder embedder = (rgb, count) -> {
            int side = Batches.SIDE * Batches.SIDE * 3;
            float[] in = new float[count * 3 * Batches.SIDE * Batches.SIDE];
            for (int i = 0; i < count; i++) {
                Batches.toInput(rgb, i * side, in, i);
            }
            float[] raw = network.embed(in, count);
            int d = raw.length / count;
            float[][] out = new float[count][d];
            for (int i = 0; i < count; i++) {
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    norm += raw[i * d + k] * (double) raw[i * d + k];
                }
                double inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
                for (int k = 0; k < d; k++) {
                    out[i][k] = (float) (raw[i * d + k] * inv);
                }
            }
            return out;
        };
        return new LinkedHashMap<>(evaluator.evaluate(embedder));
    }

    private void progress(EpochRecord r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", r.epoch(), c.schedule().epochs()));
        if (r.loss() != null) {
            b.append(String.format(Locale.ROOT, ": loss %.3f, training accuracy %.3f, lr %.4g, %.1f images/s", r.loss(),
                    r.trainAccuracy(), r.lr(), r.imagesPerSecond()));
        } else {
            b.append(" (untrained)");
        }
        r.evaluation().forEach((set, f) -> b.append(String.format(Locale.ROOT, "; %s accuracy %.2f%% (EER %.4f)", set,
                100 * f.accuracy(), f.eer())));
        progressBar.info(b.toString());
    }
}
