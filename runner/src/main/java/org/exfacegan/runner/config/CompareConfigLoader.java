package org.exfacegan.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.generalization.GeneralizationPlan;
import org.exfacegan.runner.io.OwnedFolder;
import org.exfacegan.runner.layout.CompareLayout;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.plugin.PluginRegistry;

/**
 * Reads a compare config and turns every variant into an ordinary experiment config file,
 * {@code <output>/configs/<label>.json} (model paths rewritten relative to it, output
 * {@code ../runs/<label>}), checked by {@link ConfigLoader}. The same compare config gives the
 * same files, so a second {@code compare} resumes each run; each file also works with {@code exfacegan run}.
 */
public final class CompareConfigLoader {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final List<String> SECTIONS = List.of("backbone", "labels", "fitter", "sampling", "dataset", "uniqueness", "preset");

    /**
     * A comparison ready to run.
     *
     * @param file     the compare config
     * @param config   its content
     * @param output   the comparison folder
     * @param variants per variant, its label and resolved experiment
     * @param runs     finished runs to collect: label (folder name) and folder
     * @param generalization the recognisers to train on every dataset and the benchmarks (null: none)
     */
    public record Resolved(Path file, CompareConfig config, Path output, List<Labelled<ResolvedConfig>> variants,
                           List<Labelled<Path>> runs, GeneralizationPlan generalization) {}

    public record Labelled<T>(String label, T value) {}

    private final PluginRegistry plugins;

    public CompareConfigLoader(PluginRegistry plugins) {
        this.plugins = plugins;
    }

    /** Loads a comparison to run: takes its folder and writes every variant's config file. */
    public Resolved load(Path file) {
        return load(file, true);
    }

    /**
     * Checks a comparison as {@link #load} does, writing nothing: each variant is checked as the
     * config file {@code load} would write (its errors name that file).
     */
    public Resolved check(Path file) {
        return load(file, false);
    }

    /** Whether a config's fields are a compare config's (variants, finished runs or a base) rather than an experiment's. */
    public static boolean isCompareConfig(JsonNode tree) {
        return !tree.has("backbone") && (tree.has("variants") || tree.has("runs") || tree.has("base"));
    }

    private Resolved load(Path file, boolean write) {
        Path abs = file.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        String text = ConfigLoader.read(file, abs, "compare config");
        CompareConfig c = ConfigLoader.bind(file, text, "", CompareConfig.class);
        if (c.output().isBlank()) {
            throw ConfigLoader.fieldError(file, "/output", "must name a folder");
        }
        if (c.variants().isEmpty() && c.runs().isEmpty()) {
            throw ConfigLoader.fieldError(file, "/variants", "nothing to compare: give variants to run or finished runs");
        }
        if (!(c.lookalikeThreshold() >= -1 && c.lookalikeThreshold() <= 1)) {
            throw ConfigLoader.fieldError(file, "/lookalike_threshold", "must be a cosine in [-1, 1], got " + c.lookalikeThreshold());
        }
        if (c.maxPairs() < 1 || c.maxPairs() > Integer.MAX_VALUE - 8) {
            throw ConfigLoader.fieldError(file, "/max_pairs", "must be in [1, " + (Integer.MAX_VALUE - 8) + "], got " + c.maxPairs());
        }
        Path output = dir.resolve(c.output()).normalize();
        if (write) {
            claim(output);
        } else {
            inspect(output);
        }
        Set<String> labels = new HashSet<>();
        List<Labelled<ResolvedConfig>> variants = new ArrayList<>();
        if (!c.variants().isEmpty()) {
            Base base = base(file, dir, c.base());
            for (int i = 0; i < c.variants().size(); i++) {
                CompareConfig.Variant v = c.variants().get(i);
                String pointer = "/variants/" + i;
                label(file, pointer + "/label", v.label(), labels);
                String variantText = Json.pretty(experiment(c, base, v, dir, output.resolve(CompareLayout.CONFIGS))) + "\n";
                Path configFile = output.resolve(CompareLayout.config(v.label()));
                try {
                    if (write) {
                        write(configFile, variantText);
                    }
                    variants.add(new Labelled<>(v.label(), new ConfigLoader(plugins).load(configFile, variantText)));
                } catch (ConfigException e) {
                    throw new ConfigException("compare config " + file + ", variant \"" + v.label() + "\" ("
                            + (write ? "written as " : "to be written as ") + configFile + "): " + e.getMessage(), e);
                }
            }
        }
        List<Labelled<Path>> runs = new ArrayList<>();
        for (int i = 0; i < c.runs().size(); i++) {
            Path run = dir.resolve(c.runs().get(i)).normalize();
            if (!Files.isDirectory(run)) {
                throw ConfigLoader.fieldError(file, "/runs/" + i, "run folder not found: " + run
                        + ConfigLoader.relativeTo(Path.of(c.runs().get(i)), dir));
            }
            unfinished(file, "/runs/" + i, run);
            label(file, "/runs/" + i, run.getFileName().toString(), labels);
            runs.add(new Labelled<>(run.getFileName().toString(), run));
        }
        List<GeneralizationPlan.Dataset> datasets = new ArrayList<>();
        variants.forEach(v -> datasets.add(new GeneralizationPlan.Dataset(v.label(), v.value().output())));
        runs.forEach(r -> datasets.add(new GeneralizationPlan.Dataset(r.label(), r.value())));
        Long seed = variants.isEmpty() ? null : variants.get(0).value().config().seed();
        GeneralizationPlan generalization = GeneralizationPlan.load(file, c.name(), c.training(), c.benchmarks(), seed, output,
                datasets, write);
        return new Resolved(abs, c, output, variants, runs, generalization);
    }

    /** A run to collect must be finished: found only after every variant ran, it would fail the comparison at its end. */
    private static void unfinished(Path file, String pointer, Path run) {
        if (!Files.isRegularFile(run.resolve(RunLayout.RUN_JSON))) {
            throw ConfigLoader.fieldError(file, pointer, run + " holds no run (no " + RunLayout.RUN_JSON + ")");
        }
        RunRecord record = RunRecord.read(run);
        if (!record.isComplete()) {
            throw ConfigLoader.fieldError(file, pointer, "run " + run + " is not finished (run.json status \""
                    + (record.status() == null ? "" : record.status()) + "\"): finish it with exfacegan run on its config first");
        }
    }

    /** A comparison's folder marks itself, as a run's does: a user's folder is never written into. */

    private static final String WHAT = "exfacegan comparison";

    /** Refuses a folder a comparison may not take (see {@link OwnedFolder#inspect}); reads only. */
    private static OwnedFolder.Kind inspect(Path output) {
        return OwnedFolder.inspect(output, CompareLayout.MARKER, WHAT,
                p -> Files.isRegularFile(p.resolve(CompareLayout.COMPARE_JSON)) || Files.isDirectory(p.resolve(CompareLayout.CONFIGS)));
    }

    private static void claim(Path output) {
        String what = WHAT;
        OwnedFolder.Kind kind = inspect(output);
        if (kind != OwnedFolder.Kind.OURS) {
            try {
                Files.createDirectories(output);
                OwnedFolder.mark(output, CompareLayout.MARKER, what);
            } catch (IOException e) {
                throw new ConfigException("cannot write comparison folder " + output + ": " + e.getMessage(), e);
            }
        }
    }

    private record Base(ObjectNode tree, Path dir) {}

    private static Base base(Path file, Path dir, JsonNode base) {
        if (base == null || base.isNull()) {
            throw ConfigLoader.fieldError(file, "/base", "missing: variants need a base experiment (an object or a path)");
        }
        if (base.isTextual()) {
            Path p = dir.resolve(base.asText()).normalize();
            if (!Files.exists(p)) {
                throw ConfigLoader.fieldError(file, "/base", "experiment config not found: " + p
                        + ConfigLoader.relativeTo(Path.of(base.asText()), dir));
            }
            try {
                JsonNode tree = Json.MAPPER.readTree(ConfigLoader.read(p, p));
                if (tree instanceof ObjectNode o) {
                    return new Base(o, p.getParent());
                }
            } catch (IOException e) {
                throw ConfigLoader.fieldError(file, "/base", "cannot read experiment config " + p + ": " + e.getMessage());
            }
            throw ConfigLoader.fieldError(file, "/base", p + " does not hold a JSON object");
        }
        if (base instanceof ObjectNode o) {
            return new Base(o, dir);
        }
        throw ConfigLoader.fieldError(file, "/base", "must be an experiment config object or the path of one");
    }

    private static void label(Path file, String pointer, String label, Set<String> seen) {
        if (!LABEL.matcher(label).matches()) {
            throw ConfigLoader.fieldError(file, pointer, "label \"" + label + "\" must match " + LABEL.pattern()
                    + " (it names a folder)");
        }
        if (!seen.add(label)) {
            throw ConfigLoader.fieldError(file, pointer, "label \"" + label + "\" is used twice");
        }
    }

    /** The base with the variant's sections swapped in, model paths relative to the configs folder. */
    private static ObjectNode experiment(CompareConfig c, Base base, CompareConfig.Variant v, Path compareDir, Path configs) {
        ObjectNode e = base.tree().deepCopy();
        e.put("name", c.name() + ": " + v.label());
        // absolute: outputs given relative to a config may not climb out of its folder
        e.put("output", configs.getParent().resolve(CompareLayout.run(v.label())).toString());
        rebase(e, "backbone", base.dir(), configs);
        rebase(e, "recognizer", base.dir(), configs);
        ObjectNode overrides = Json.MAPPER.valueToTree(v);
        for (String s : SECTIONS) {
            JsonNode value = overrides.get(s);
            if (value != null && !value.isNull()) {
                e.set(s, value.deepCopy());
                rebase(e, s, compareDir, configs);
            }
        }
        return e;
    }

    /** Makes a component's model path relative to the configs folder (it was relative to {@code from}). */
    private static void rebase(ObjectNode e, String section, Path from, Path configs) {
        if (e.get(section) instanceof ObjectNode comp && comp.get("model") != null && comp.get("model").isTextual()) {
            Path model = from.resolve(comp.get("model").asText()).normalize();
            comp.put("model", configs.relativize(model).toString());
        }
    }

    /** Writes a generated config unless the file holds exactly it already (a resumed comparison rewrites nothing). */
    private static void write(Path f, String text) {
        try {
            Files.createDirectories(f.getParent());
            if (!Files.exists(f) || !Files.readString(f).equals(text)) {
                Files.writeString(f, text);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #write(Path, String)}, for a config made as JSON; returns {@code f}. */
    public static Path writeConfig(Path f, ObjectNode config) {
        write(f, Json.pretty(config) + "\n");
        return f;
    }
}
