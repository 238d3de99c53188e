package org.exfacegan.training.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.Npy;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.runtime.djl.DjlPytorchProvider;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.config.TrainingConfigLoader;
import org.exfacegan.training.data.Augmenter;
import org.exfacegan.training.data.Batches;
import org.exfacegan.training.data.Datasets;
import org.exfacegan.training.data.FaceDataset;
import org.exfacegan.training.data.IdentitySplit;
import org.exfacegan.training.engine.LearningRate;
import org.exfacegan.training.engine.MarginLoss;
import org.exfacegan.training.engine.MarginTraining;
import org.exfacegan.training.engine.TorchNetwork;
import org.exfacegan.training.eval.Embedder;
import org.exfacegan.training.eval.Evaluator;
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
    private static final long DROPOUT = 0xD507L;
    private static final long HEAD = 0x4EADL;

    /**
     * @param output    the output folder
     * @param model     the trained TorchScript model
     * @param curve     one record per epoch (0: untrained)
     * @param evaluated what the curve's evaluation measured on (null: nothing held out)
     * @param already   true when the folder held this finished training and nothing ran
     */
    public record Result(java.nio.file.Path output, java.nio.file.Path model, List<EpochRecord> curve, String evaluated,
                         boolean already) {}

    private final TrainingConfigLoader.Resolved job;
    private final TrainProgress progress;

    public Trainer(TrainingConfigLoader.Resolved job, TrainProgress progress) {
        this.job = job;
        this.progress = progress;
    }

    public Result run() {
        TrainingConfig c = job.config();
        String hash = configHash(c);
        Result done = finished(job.output(), hash);
        if (done != null) {
            return done;
        }
        // the data is checked before anything is written
        FaceDataset data = Datasets.open(job.data());
        IdentitySplit split = split(data);
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
            Evaluator evaluator = split.heldOut().length == 0 ? null
                    : new HeldOutPairs(data, split.heldOut(), c.holdout().pairs(), c.seed());
            List<EpochRecord> curve;
            byte[] saved;
            try (TorchNetwork network = TorchNetwork.load(cp != null ? cp.model() : folder.resolve(INITIAL), device,
                    Networks.fixedParameters(net));
                 NDManager headManager = network.manager().newSubManager();
                 Batches batches = new Batches(data, split, c.seed(), c.batchSize(), augmenter(c))) {
                Loop loop = new Loop(c, engine, network, headManager, split.classes(), evaluator, progress, cp);
                curve = loop.train(folder, batches, new TrainState(hash, dataSummary, 0, 0, 0, 0, List.of()), cp);
                saved = save(network);
            }
            String io = Networks.ioDescription(c.network().embeddingSize());
            byte[] model;
            try {
                model = TorchScriptArchive.withExtraFile(saved, TorchScriptArchive.IO_ENTRY, io);
            } catch (IOException e) {
                throw new ExfaceganException("cannot add the input/output description to the saved model: " + e.getMessage(), e);
            }
            folder.writeAtomically(MODEL, model);
            folder.writeAtomically(RECOGNIZER, recognizerSection());
            folder.writeAtomically(CHART, TrainingChart.png(c.name(), curve));
            folder.writeAtomically(RESULT, ConfigLoader.toJson(record(c, hash, data, split, net, initial, model, curve,
                    evaluator, started)));
            try {
                RunFolder.deleteTree(folder.resolve(Checkpoint.DIR)); // the result is written: checkpoints are spent
            } catch (IOException e) {
                progress.info("note: could not delete " + folder.resolve(Checkpoint.DIR) + ": " + RunFolder.describe(e));
            }
            return new Result(folder.root(), folder.resolve(MODEL), curve, evaluator == null ? null : evaluator.description(), false);
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

    private static String skippedNote(FaceDataset data) {
        return data.skipped().isEmpty() ? "" : " (skipped: " + String.join("; ", data.skipped()) + ")";
    }

    private static Augmenter augmenter(TrainingConfig c) {
        TrainingConfig.RandAugment ra = c.augment().randAugment();
        return new Augmenter(c.augment().flip(), ra == null ? 0 : ra.ops(), ra == null ? 0 : ra.magnitude());
    }

    /**
     * SHA-256 of the config without the fields that may change between resumes (device, threads,
     * checkpoint spacing); the name is kept, it labels the outputs.
     */
    static String configHash(TrainingConfig c) {
        TrainingConfig stable = new TrainingConfig(c.name(), c.seed(), c.output(), c.data(), c.network(), c.loss(), c.optimizer(),
                c.schedule(), c.batchSize(), c.augment(), c.holdout(), "-", -1, -1);
        return Sha256.of(ConfigLoader.toJson(stable).getBytes(StandardCharsets.UTF_8));
    }

    /** The finished result in the output folder, or null when there is none; another config's result is an error. */
    private static Result finished(java.nio.file.Path output, String hash) {
        java.nio.file.Path file = output.resolve(RESULT);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode r;
        try {
            r = ConfigLoader.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + ": " + RunFolder.describe(e), e);
        }
        if (!hash.equals(r.path("config_hash").asText())) {
            throw new ExfaceganException("output folder " + output + " holds a finished training of another config "
                    + "(see its " + RESULT + "); choose another output folder");
        }
        List<EpochRecord> curve = new ArrayList<>();
        for (JsonNode e : r.path("curve")) {
            curve.add(ConfigLoader.MAPPER.convertValue(e, EpochRecord.class));
        }
        String evaluated = r.path("evaluation").isNull() ? null : r.path("evaluation").asText(null);
        return new Result(output, output.resolve(MODEL), curve, evaluated, true);
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

    private static byte[] save(TorchNetwork network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            network.save(out);
        } catch (IOException e) {
            throw new ExfaceganException("cannot save the trained network: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** A recogniser section for the arcface plugin: {@code exfacegan verify recognizer.json A B}. */
    private static String recognizerSection() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("normalization", "127.5/127.5");
        options.put("landmarks", "fixed");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "arcface");
        r.put("model", MODEL);
        r.put("options", options);
        return ConfigLoader.toJson(r);
    }

    private ObjectNode record(TrainingConfig c, String hash, FaceDataset data, IdentitySplit split, ScriptModule net,
                              byte[] initial, byte[] model, List<EpochRecord> curve, Evaluator evaluator, Instant started) {
        ObjectNode r = ConfigLoader.MAPPER.createObjectNode();
        r.put("status", "complete");
        r.put("name", c.name());
        r.put("config_file", job.file().toString());
        r.put("config_hash", hash);
        r.set("config", ConfigLoader.MAPPER.valueToTree(c));
        ObjectNode d = r.putObject("data");
        d.put("source", data.source().toString());
        d.put("kind", data.kind());
        d.put("identities", data.identities());
        d.put("images", data.size());
        d.set("skipped", ConfigLoader.MAPPER.valueToTree(data.skipped()));
        d.put("training_classes", split.classes());
        d.put("training_images", split.trainSamples().length);
        List<String> heldOut = new ArrayList<>();
        for (int h : split.heldOut()) {
            heldOut.add(data.identityNames().get(h));
        }
        d.set("held_out_identities", ConfigLoader.MAPPER.valueToTree(heldOut));
        ObjectNode n = r.putObject("network");
        n.put("type", c.network().type());
        n.put("width", c.network().width());
        n.put("embedding_size", c.network().embeddingSize());
        n.put("parameters", Networks.parameterCount(net));
        n.put("input", "[n, 3, 112, 112] RGB, (x - 127.5) / 127.5");
        n.put("initial_sha256", Sha256.of(initial));
        n.put("model_sha256", Sha256.of(model));
        r.put("evaluation", evaluator == null ? null : evaluator.description());
        r.set("curve", ConfigLoader.MAPPER.valueToTree(curve));
        ObjectNode p = r.putObject("provenance");
        p.put("started", started.toString());
        p.put("finished", Instant.now().toString());
        p.put("engine", "DJL " + new DjlPytorchProvider().version());
        p.put("device", c.device());
        p.put("threads", JniUtils.getNumThreads());
        p.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        ObjectNode o = r.putObject("outputs");
        o.put("model", MODEL);
        o.put("recognizer", RECOGNIZER);
        o.put("chart", CHART);
        o.put("initial", INITIAL);
        return r;
    }

    /** The training loop proper: network, class weights, optimiser, evaluator. */
    private static final class Loop {
        private final TrainingConfig c;
        private final TorchNetwork network;
        private final MarginTraining training;
        private final Evaluator evaluator;
        private final TrainProgress progressBar;

        Loop(TrainingConfig c, Engine engine, TorchNetwork network, NDManager headManager, int classes, Evaluator evaluator,
             TrainProgress progress, Checkpoint cp) {
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
            progressBar.start(total, step, c.batchSize());
            while (step < total) {
                int epoch = (int) (step / spe);
                Batches.Batch b = batches.get(epoch, (int) (step % spe));
                double rate = lr.at(step);
                MarginTraining.StepResult result = step(b, rate, step);
                step++;
                lossSum += result.loss();
                correct += result.correct();
                images += c.batchSize();
                clockImages += c.batchSize();
                progressBar.step(step, epoch + 1, lossSum / (images / c.batchSize()), correct / (double) images);
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
                    Checkpoint.write(folder, now, save(network),
                            new Npy.Array(Npy.DType.FLOAT32, new long[] {training.classes(), c.network().embeddingSize()},
                                    training.headWeights()),
                            training.velocities());
                }
            }
            progressBar.close();
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

        private Map<String, Double> evaluate() {
            if (evaluator == null) {
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
            r.evaluation().forEach((k, v) -> b.append(String.format(Locale.ROOT, ", %s %.4f", k, v)));
            progressBar.info(b.toString());
        }
    }
}
