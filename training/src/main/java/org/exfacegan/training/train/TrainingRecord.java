package org.exfacegan.training.train;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runtime.djl.DjlPytorchProvider;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.data.FaceDataset;
import org.exfacegan.training.data.IdentitySplit;
import org.exfacegan.training.eval.BenchmarkSet;
import org.exfacegan.training.eval.EvaluationSet;
import org.exfacegan.training.eval.Evaluator;
import org.exfacegan.training.net.Networks;
import org.exfacegan.training.torchscript.ScriptModule;

/**
 * What a finished training leaves besides the model: {@code training.json} (config and its hash,
 * data, network, curve, provenance), {@code recognizer.json}, and reading a finished one back.
 */
final class TrainingRecord {
    private TrainingRecord() {}

    /**
     * SHA-256 of the config without the fields that may change between resumes (device, threads,
     * checkpoint spacing); the name is kept, it labels the outputs.
     */
    static String configHash(TrainingConfig c) {
        TrainingConfig stable = new TrainingConfig(c.name(), c.seed(), c.output(), c.data(), c.network(), c.loss(), c.optimizer(),
                c.schedule(), c.batchSize(), c.augment(), c.holdout(), c.benchmarks(), "-", -1, -1);
        return Sha256.of(Json.pretty(stable).getBytes(StandardCharsets.UTF_8));
    }

    /** The finished result in the output folder, or null when there is none; another config's result is an error. */
    static Trainer.Result finished(java.nio.file.Path output, String hash) {
        java.nio.file.Path file = output.resolve(Trainer.RESULT);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + ": " + RunFolder.describe(e), e);
        }
        if (!hash.equals(r.path("config_hash").asText())) {
            throw new ExfaceganException("output folder " + output + " holds a finished training of another config "
                    + "(see its " + Trainer.RESULT + "); choose another output folder");
        }
        List<EpochRecord> curve = new ArrayList<>();
        for (JsonNode e : r.path("curve")) {
            curve.add(Json.MAPPER.convertValue(e, EpochRecord.class));
        }
        List<String> evaluated = new ArrayList<>();
        r.path("evaluation").forEach(e -> evaluated.add(e.path("description").asText()));
        return new Trainer.Result(output, output.resolve(Trainer.MODEL), curve, evaluated, true);
    }

    /** Per evaluation set: name, description, and a benchmark file's SHA-256. */
    private static ArrayNode evaluation(Evaluator evaluator) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (EvaluationSet s : evaluator.sets()) {
            ObjectNode o = out.addObject().put("name", s.name()).put("description", s.description());
            if (s instanceof BenchmarkSet b) {
                o.put("file", b.source().file().toString());
                try {
                    o.put("sha256", Sha256.of(b.source().file()));
                } catch (IOException e) {
                    throw new ExfaceganException("cannot read benchmark " + b.source().file() + ": " + RunFolder.describe(e), e);
                }
            }
        }
        return out;
    }

    /** A recogniser section for the arcface plugin: {@code exfacegan verify recognizer.json A B}. */
    static String recognizerSection() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("normalization", "127.5/127.5");
        options.put("landmarks", "fixed");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "arcface");
        r.put("model", Trainer.MODEL);
        r.put("options", options);
        return Json.pretty(r);
    }

    /** training.json of a finished training. */
    static ObjectNode of(java.nio.file.Path configFile, TrainingConfig c, String hash, FaceDataset data, IdentitySplit split,
                         ScriptModule net, byte[] initial, byte[] model, List<EpochRecord> curve, Evaluator evaluator,
                         Instant started) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("status", "complete");
        r.put("name", c.name());
        r.put("config_file", configFile.toString());
        r.put("config_hash", hash);
        r.set("config", Json.MAPPER.valueToTree(c));
        ObjectNode d = r.putObject("data");
        d.put("source", data.source().toString());
        d.put("kind", data.kind());
        d.put("identities", data.identities());
        d.put("images", data.size());
        d.set("skipped", Json.MAPPER.valueToTree(data.skipped()));
        d.put("training_classes", split.classes());
        d.put("training_images", split.trainSamples().length);
        List<String> heldOut = new ArrayList<>();
        for (int h : split.heldOut()) {
            heldOut.add(data.identityNames().get(h));
        }
        d.set("held_out_identities", Json.MAPPER.valueToTree(heldOut));
        ObjectNode n = r.putObject("network");
        n.put("type", c.network().type());
        n.put("width", c.network().width());
        n.put("embedding_size", c.network().embeddingSize());
        n.put("parameters", Networks.parameterCount(net));
        n.put("input", "[n, 3, 112, 112] RGB, (x - 127.5) / 127.5");
        n.put("initial_sha256", Sha256.of(initial));
        n.put("model_sha256", Sha256.of(model));
        r.set("evaluation", evaluation(evaluator));
        r.set("curve", Json.MAPPER.valueToTree(curve));
        ObjectNode p = r.putObject("provenance");
        p.put("started", started.toString());
        p.put("finished", Instant.now().toString());
        p.put("engine", "DJL " + new DjlPytorchProvider().version());
        p.put("device", c.device());
        p.put("threads", JniUtils.getNumThreads());
        p.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        ObjectNode o = r.putObject("outputs");
        o.put("model", Trainer.MODEL);
        o.put("recognizer", Trainer.RECOGNIZER);
        o.put("chart", Trainer.CHART);
        o.put("initial", Trainer.INITIAL);
        return r;
    }
}
