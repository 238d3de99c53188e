package org.exfacegan.training.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runtime.djl.DjlPytorchProvider;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.config.TrainingConfigLoader;
import org.exfacegan.training.data.Augmenter;
import org.exfacegan.training.data.Batches;
import org.exfacegan.training.data.Datasets;
import org.exfacegan.training.data.FaceDataset;
import org.exfacegan.training.data.IdentitySplit;
import org.exfacegan.training.engine.TorchNetwork;
import org.exfacegan.training.eval.Evaluator;
import org.exfacegan.training.eval.BenchmarkSet;
import org.exfacegan.training.eval.EvaluationSet;
import org.exfacegan.training.eval.HeldOutPairs;
import org.exfacegan.training.net.Networks;
import org.exfacegan.training.torchscript.ScriptModule;
import org.exfacegan.training.torchscript.TorchScriptArchive;

/**
 * Trains a face recogniser on DJL's PyTorch engine: the network is written as TorchScript by our
 * own code ({@code initial.pt}), loaded into libtorch, trained with a margin loss and momentum SGD
 * on seeded, augmented batches, checkpointed atomically, and saved by libtorch as the TorchScript
 * {@code model.pt} (with its input/output contract) that the arcface plugin opens. Killed at any
 * moment, the same call resumes from the last checkpoint and ends with the same weights.
 */
public final class Trainer {
    public static final String RESULT = "training.json";
    public static final String MODEL = "model.pt";
    public static final String INITIAL = "initial.pt";
    public static final String CHART = "training.png";
    public static final String RECOGNIZER = "recognizer.json";

    /**
     * @param output    the output folder
     * @param model     the trained TorchScript model
     * @param curve     one record per epoch (0: untrained)
     * @param evaluated what the curve's evaluation measured on, one line per set (empty: nothing)
     * @param already   true when the folder held this finished training and nothing ran
     */
    public record Result(java.nio.file.Path output, java.nio.file.Path model, List<EpochRecord> curve, List<String> evaluated,
                         boolean already) {}

    private final TrainingConfigLoader.Resolved job;
    private final Progress progress;

    /** @param progress where progress goes: a bar with the running loss and accuracy, plain lines, or nothing */
    public Trainer(TrainingConfigLoader.Resolved job, Progress progress) {
        this.job = job;
        this.progress = progress;
    }

    public Result run() {
        TrainingConfig c = job.config();
        String hash = TrainingRecord.configHash(c);
        Result done = TrainingRecord.finished(job.output(), hash);
        if (done != null) {
            return done;
        }
        // the data is checked before anything is written
        FaceDataset data = Datasets.open(job.data());
        IdentitySplit split = split(data);
        Evaluator evaluator = evaluator(data, split);
        if (split.trainSamples().length < c.batchSize()) {
            throw ConfigLoader.fieldError(job.file(), "/batch_size", "is " + c.batchSize() + " but the training identities "
                    + "have only " + split.trainSamples().length + " images");
        }
        Device device = DjlPytorchProvider.device(new ModelOptions(null, c.device(), 1, c.threads()), "training " + job.file());
        try (RunFolder folder = RunFolder.open(job.output())) {
            Instant started = Instant.now();
            String dataSummary = data.kind() + ": " + data.identities() + " identities, " + data.size() + " images";
            ScriptModule net = Networks.build(c.network(), c.seed());
            byte[] initial = Networks.archive(net, c.network().embeddingSize());
            folder.writeAtomically(INITIAL, initial);
            Checkpoint cp = Checkpoint.latest(folder);
            if (cp != null) {
                checkResumable(folder, cp, hash, dataSummary);
                progress.info("resuming from " + cp.folder().getFileName() + " (step " + cp.state().step() + ")");
            }
            Engine engine = DjlPytorchProvider.engine();
            if (c.threads() > 0) {
                JniUtils.setNumThreads(c.threads());
            }
            List<EpochRecord> curve;
            byte[] saved;
            try (TorchNetwork network = TorchNetwork.load(cp != null ? cp.model() : folder.resolve(INITIAL), device,
                    Networks.fixedParameters(net));
                 NDManager headManager = network.manager().newSubManager();
                 Batches batches = new Batches(data, split, c.seed(), c.batchSize(), augmenter(c))) {
                TrainingLoop loop = new TrainingLoop(c, engine, network, headManager, split.classes(), evaluator, progress, cp);
                curve = loop.train(folder, batches, new TrainState(hash, dataSummary, 0, 0, 0, 0, List.of()), cp);
                saved = network.toBytes();
            }
            String io = Networks.ioDescription(c.network().embeddingSize());
            byte[] model;
            try {
                model = TorchScriptArchive.withExtraFile(saved, TorchScriptArchive.IO_ENTRY, io);
            } catch (IOException e) {
                throw new ExfaceganException("cannot add the input/output description to the saved model: " + e.getMessage(), e);
            }
            folder.writeAtomically(MODEL, model);
            folder.writeAtomically(RECOGNIZER, TrainingRecord.recognizerSection());
            folder.writeAtomically(CHART, TrainingChart.png(c.name(), curve));
            folder.writeAtomically(RESULT, Json.pretty(TrainingRecord.of(job.file(), c, hash, data, split, net, initial,
                    model, curve, evaluator, started)));
            try {
                RunFolder.deleteTree(folder.resolve(Checkpoint.DIR)); // the result is written: checkpoints are spent
            } catch (IOException e) {
                progress.info("note: could not delete " + folder.resolve(Checkpoint.DIR) + ": " + RunFolder.describe(e));
            }
            return new Result(folder.root(), folder.resolve(MODEL), curve, descriptions(evaluator), false);
        }
    }

    private IdentitySplit split(FaceDataset data) {
        TrainingConfig c = job.config();
        if (data.identities() < 2) {
            throw ConfigLoader.fieldError(job.file(), "/data", data.kind() + " " + data.source() + " holds " + data.identities()
                    + " identit" + (data.identities() == 1 ? "y" : "ies") + " with images" + skippedNote(data)
                    + "; training a recogniser needs at least 2");
        }
        int heldOut = c.holdout().identities() != null ? c.holdout().identities() : IdentitySplit.defaultHeldOut(data.identities());
        if (heldOut == 1) {
            heldOut = 0; // the default on tiny data: one identity cannot make impostor pairs
        }
        try {
            return IdentitySplit.of(data, c.seed(), heldOut);
        } catch (IllegalArgumentException e) {
            throw ConfigLoader.fieldError(job.file(), "/holdout/identities", e.getMessage());
        }
    }

    /** The held-out pairs (unless none are held out) and the config's benchmarks. */
    private Evaluator evaluator(FaceDataset data, IdentitySplit split) {
        TrainingConfig c = job.config();
        List<EvaluationSet> sets = new ArrayList<>();
        if (split.heldOut().length > 0) {
            try {
                sets.add(new HeldOutPairs(data, split.heldOut(), c.holdout().pairs(), c.seed(), TrainingConfigLoader.MIN_PAIRS / 2));
            } catch (IllegalArgumentException e) {
                throw ConfigLoader.fieldError(job.file(), "/holdout", e.getMessage() + "; hold out more identities or none (0)");
            }
        }
        job.benchmarks().forEach(b -> sets.add(new BenchmarkSet(b)));
        return new Evaluator(sets, c.network().embeddingSize());
    }

    static List<String> descriptions(Evaluator evaluator) {
        return evaluator.sets().stream().map(EvaluationSet::description).toList();
    }

    private static String skippedNote(FaceDataset data) {
        return data.skipped().isEmpty() ? "" : " (skipped: " + String.join("; ", data.skipped()) + ")";
    }

    private static Augmenter augmenter(TrainingConfig c) {
        TrainingConfig.RandAugment ra = c.augment().randAugment();
        return new Augmenter(c.augment().flip(), ra == null ? 0 : ra.ops(), ra == null ? 0 : ra.magnitude());
    }

    private void checkResumable(RunFolder folder, Checkpoint cp, String hash, String dataSummary) {
        if (!hash.equals(cp.state().configHash())) {
            throw new ExfaceganException("output folder " + folder.root() + " holds a training of another config "
                    + "(checkpoint " + cp.folder().getFileName() + "); only device, threads and checkpoint_every may change "
                    + "between resumes. Choose another output folder, or delete this one to start over");
        }
        if (!dataSummary.equals(cp.state().dataSummary())) {
            throw new ExfaceganException("the training data changed since checkpoint " + cp.folder() + " was written: it was "
                    + cp.state().dataSummary() + ", it is " + dataSummary + " now. Restore the data or start over in another folder");
        }
    }
}
