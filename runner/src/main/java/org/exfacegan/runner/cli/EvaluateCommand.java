package org.exfacegan.runner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.Provenance;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.runner.verification.BenchmarkResult;
import org.exfacegan.runner.verification.BenchmarkSource;
import org.exfacegan.runner.verification.EvaluatedModel;
import org.exfacegan.runner.verification.Verification;
import org.exfacegan.runner.verification.VerificationProtocol;
import org.exfacegan.runner.verification.VerificationTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Face verification accuracy of recognisers on benchmarks, by insightface's protocol. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate face recognisers on verification benchmarks with insightface's protocol: flip-fused "
            + "embeddings, 10-fold accuracy (threshold chosen on the other nine folds), TAR at FAR 1e-3 and EER.",
            "Prints a Markdown table (one row per model, one column per benchmark, and the average) and writes all "
                + "figures as JSON."},
        footer = {"", "Benchmarks: an insightface .bin (lfw.bin, agedb_30.bin, ...: aligned 112x112 crops), a pairs list "
            + "(LFW's pairs.txt beside one folder per person, or the folder holding it), or a folder of these."})
final class EvaluateCommand extends Subcommand {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "[LABEL=]FILE",
            description = "a recogniser to evaluate (repeatable): a model file (.onnx, .pt) opened with the arcface "
                    + "plugin's defaults, or a .json recognizer config (an experiment config or just its recognizer "
                    + "section). The row label is LABEL, else the file name")
    List<String> models;

    @Parameters(arity = "1..*", paramLabel = "BENCHMARK", description = "a .bin, a pairs.txt (or its folder), or a folder of them")
    List<Path> benchmarks;

    @Option(names = "--aligned", description = "pairs-list images are aligned crops: embed them as they are "
            + "(.bin images always are); without it the recogniser finds and aligns each face")
    boolean aligned;

    @Option(names = "--no-flip", description = "embed each image once (insightface fuses it with its mirror image)")
    boolean noFlip;

    @Option(names = "--folds", paramLabel = "N", defaultValue = "10", description = "folds of the accuracy protocol (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "evaluation.json",
            description = "where the JSON results go (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--device", paramLabel = "DEVICE", description = "for model files: cpu (default) or cuda:N")
    String device;

    @Option(names = "--batch-size", paramLabel = "N", description = "for model files: images per model call")
    Integer batchSize;

    @Override
    public Integer call() {
        if (folds < 2) {
            throw new ConfigException("--folds must be at least 2, got " + folds);
        }
        checkOutput();
        PluginRegistry registry = global().loadPlugins();
        List<BenchmarkSource> sources = BenchmarkSource.find(benchmarks);
        List<EvaluatedModel> specs = resolve(registry);
        Verification.Options options = new Verification.Options(!noFlip, folds);
        Progress progress = global().progress();
        ModelHost host = Pipeline.modelHost(registry);
        List<Recognizer> open = new ArrayList<>();
        List<List<BenchmarkResult>> results = new ArrayList<>();
        ArrayNode benchmarkInfo = ConfigLoader.MAPPER.createArrayNode();
        try {
            for (EvaluatedModel m : specs) {
                open.add(Pipeline.openRecognizer(m.recognizer(), host));
                results.add(new ArrayList<>());
            }
            for (BenchmarkSource source : sources) {
                Benchmark b = source.load(aligned); // one benchmark in memory at a time
                benchmarkInfo.add(describe(source, b));
                for (int i = 0; i < specs.size(); i++) {
                    BenchmarkResult r = Verification.run(open.get(i), specs.get(i).label(), b, options, progress);
                    results.get(i).add(r);
                    if (r.noFaceImages() > 0) {
                        err().println("WARNING: " + specs.get(i).label() + " found no face in " + r.noFaceImages() + " of "
                                + r.images() + " images of " + b.name() + "; their " + r.noFacePairs()
                                + " pairs count as different identities");
                    }
                }
            }
        } finally {
            open.forEach(Recognizer::close);
        }
        List<VerificationTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            rows.add(new VerificationTable.Row(specs.get(i).label(), results.get(i)));
        }
        PrintWriter out = out();
        out.print(VerificationTable.summary(rows));
        out.println();
        out.print(VerificationTable.details(rows));
        if (VerificationTable.anyUnresolvedFar(rows)) {
            out.println("* fewer than " + Math.round(1 / VerificationProtocol.FAR_TARGET) + " different-identity pairs: "
                    + "FAR 1e-3 cannot be resolved; the value is the TAR at no false accept");
        }
        write(json(specs, benchmarkInfo, rows, options));
        out.println();
        out.println("results: " + output);
        return Cli.OK;
    }

    /** Refuses an output that cannot be written before any work is done. */
    private void checkOutput() {
        Path abs = output.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new ConfigException("--output " + output + " is a folder; name the JSON file to write");
        }
        try {
            Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw new ConfigException("--output " + output + ": cannot create its folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(abs.getParent()) || (Files.exists(abs) && !Files.isWritable(abs))) {
            throw new ConfigException("--output " + output + " cannot be written");
        }
    }

    private List<EvaluatedModel> resolve(PluginRegistry registry) {
        List<EvaluatedModel> out = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        for (String spec : models) {
            EvaluatedModel m = EvaluatedModel.resolve(registry, spec, device, batchSize);
            String other = labels.putIfAbsent(m.label(), spec);
            if (other != null) {
                throw new ConfigException("--model " + other + " and --model " + spec + " are both labelled \"" + m.label()
                        + "\"; name them: --model LABEL=FILE");
            }
            out.add(m);
        }
        return out;
    }

    private static ObjectNode describe(BenchmarkSource source, Benchmark b) {
        ObjectNode o = ConfigLoader.MAPPER.createObjectNode().put("name", b.name()).put("file", source.file().toString())
                .put("format", source.isBin() ? "insightface-bin" : "pairs-list").put("aligned", b.aligned())
                .put("pairs", b.pairs()).put("same_pairs", b.genuinePairs()).put("images", b.images().size());
        try {
            o.put("sha256", Sha256.of(source.file()));
        } catch (IOException e) {
            throw new ExfaceganException("cannot read benchmark " + source.file() + ": " + e.getMessage(), e);
        }
        return o;
    }

    private static ObjectNode json(List<EvaluatedModel> specs, ArrayNode benchmarks, List<VerificationTable.Row> rows,
            Verification.Options options) {
        ObjectNode root = ConfigLoader.MAPPER.createObjectNode();
        root.putObject("protocol").put("name", "insightface verification").put("folds", options.folds())
                .put("flip_fusion", options.flip()).put("far_target", VerificationProtocol.FAR_TARGET)
                .put("accuracy_thresholds", "squared distance of unit embeddings 0, 0.01, ..., 3.99 (cosine 1 - d/2)");
        ArrayNode models = root.putArray("models");
        for (EvaluatedModel m : specs) {
            models.addObject().put("label", m.label()).put("spec", m.spec()).set("recognizer", Provenance.component(m.recognizer()));
        }
        root.set("benchmarks", benchmarks);
        root.set("table", VerificationTable.json(rows));
        ArrayNode results = root.putArray("results");
        for (VerificationTable.Row row : rows) {
            for (BenchmarkResult r : row.results()) {
                ObjectNode o = results.addObject().put("model", row.model());
                o.setAll((ObjectNode) ConfigLoader.MAPPER.valueToTree(r));
            }
        }
        String v = EvaluateCommand.class.getPackage().getImplementationVersion();
        root.put("exfacegan_version", v == null ? "development build" : v);
        root.putObject("jvm").put("version", System.getProperty("java.runtime.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return root;
    }

    /** The JSON, to a temporary file renamed into place (an earlier file stays whole until then). */
    private void write(ObjectNode root) {
        Path abs = output.toAbsolutePath().normalize();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(abs.getParent());
            Files.writeString(tmp, ConfigLoader.toJson(root) + "\n");
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ExfaceganException("cannot write " + abs + ": " + e.getMessage(), e);
        }
    }
}
