package org.exfacegan.runner.generalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.config.CompareConfigLoader;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runtime.EngineModule;
import org.exfacegan.runner.verification.BenchmarkSource;

/**
 * The generalization part of a comparison (its {@code training} and {@code benchmarks} sections):
 * one training config per dataset, {@code OUTPUT/configs/training/<label>.json}, that trains a
 * recogniser on the dataset into {@code OUTPUT/trainings/<label>/} with the same settings, budget
 * and seed for every dataset, and evaluates it on the benchmarks after every epoch. Each file also
 * works with {@code exfacegan train}. Everything is checked when the comparison is loaded, before
 * any run starts.
 *
 * @param jobs       one training per dataset, in the comparison's order
 * @param benchmarks the benchmarks, found (not read), in the config's order
 * @param trainer    the training module
 */
public record GeneralizationPlan(List<Job> jobs, List<BenchmarkSource> benchmarks, RecognizerTraining trainer) {
    /** Fields of a training config that the comparison sets per dataset. */
    private static final List<String> SET_BY_COMPARE = List.of("name", "output", "data", "benchmarks");
    public static final String CONFIGS = "configs/training";
    public static final String TRAININGS = "trainings";

    /**
     * @param label  the dataset's label (variant or collected run)
     * @param data   its run folder
     * @param config the training config written for it
     */
    public record Job(String label, Path data, Path config) {}

    /** A dataset to train on: its label and run folder (which may not exist yet). */
    public record Dataset(String label, Path folder) {}

    public GeneralizationPlan {
        jobs = List.copyOf(jobs);
        benchmarks = List.copyOf(benchmarks);
    }

    /**
     * The plan of a compare config, or null when it has neither section.
     *
     * @param file       the compare config (for messages; relative paths are relative to its folder)
     * @param name       the comparison's name (trainings are named "name: label")
     * @param training   its {@code training} section: a training config object, or the path of a training config file
     * @param benchmarks its {@code benchmarks} paths
     * @param baseSeed   the seed of the base experiment, the default of an inline section's seed (null: none)
     * @param output     the comparison folder
     * @param datasets   the datasets to train on
     * @param write      whether to write the training configs (false for {@code validate}: each is checked from a
     *                   temporary copy, and the comparison folder is left as it is)
     */
    public static GeneralizationPlan load(Path file, String name, JsonNode training, List<String> benchmarks, Long baseSeed,
            Path output, List<Dataset> datasets, boolean write) {
        boolean hasTraining = training != null && !training.isNull();
        if (!hasTraining && benchmarks.isEmpty()) {
            return null;
        }
        if (!hasTraining) {
            throw ConfigLoader.fieldError(file, "/training", "missing: the benchmarks are evaluated on recognisers trained on "
                    + "each dataset; add a training section (docs/metrics.md)");
        }
        if (benchmarks.isEmpty()) {
            throw ConfigLoader.fieldError(file, "/benchmarks", "missing: a training section trains one recogniser per dataset "
                    + "to evaluate on benchmarks; name at least one (a .bin, a pairs folder, or a folder of them)");
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        ObjectNode section = section(file, dir, training, baseSeed);
        List<Path> benchmarkPaths = new ArrayList<>();
        List<BenchmarkSource> sources = new ArrayList<>();
        for (int i = 0; i < benchmarks.size(); i++) {
            String text = benchmarks.get(i);
            String pointer = "/benchmarks/" + i;
            try {
                if (text == null || text.isBlank()) {
                    throw new ConfigException("must name a benchmark (a .bin, a pairs folder, or a folder of them)");
                }
                Path p = dir.resolve(text).normalize();
                benchmarkPaths.add(p);
                sources.addAll(BenchmarkSource.find(p));
            } catch (InvalidPathException e) {
                throw ConfigLoader.fieldError(file, pointer, "\"" + text.replace("\0", "\\0") + "\" is not a valid path");
            } catch (ConfigException e) {
                throw ConfigLoader.fieldError(file, pointer, e.getMessage());
            }
        }
        try {
            BenchmarkSource.find(benchmarkPaths); // names must differ across paths too
        } catch (ConfigException e) {
            throw ConfigLoader.fieldError(file, "/benchmarks", e.getMessage());
        }
        RecognizerTraining trainer = trainer(file);
        List<Job> jobs = new ArrayList<>();
        for (Dataset d : datasets) {
            ObjectNode c = section.deepCopy();
            c.put("name", name + ": " + d.label());
            c.put("output", output.resolve(TRAININGS).resolve(d.label()).toString());
            c.put("data", d.folder().toString());
            var list = c.putArray("benchmarks");
            benchmarkPaths.forEach(p -> list.add(p.toString()));
            Path config = output.resolve(CONFIGS).resolve(d.label() + ".json");
            try {
                if (write) {
                    trainer.check(CompareConfigLoader.writeConfig(config, c));
                } else {
                    checkAside(trainer, c);
                }
            } catch (ConfigException e) {
                throw new ConfigException("compare config " + file + ", training section for \"" + d.label() + "\" ("
                        + (write ? "written as " : "to be written as ") + config + "): " + e.getMessage(), e);
            }
            jobs.add(new Job(d.label(), d.folder(), config));
        }
        return new GeneralizationPlan(jobs, sources, trainer);
    }

    /** Checks a training config from a temporary copy (its paths are absolute), leaving nothing behind. */
    private static void checkAside(RecognizerTraining trainer, ObjectNode config) {
        Path aside = null;
        try {
            aside = Files.createTempFile("exfacegan-training-", ".json");
            trainer.check(CompareConfigLoader.writeConfig(aside, config));
        } catch (IOException e) {
            throw new ConfigException("cannot write a temporary copy of a training config: " + e.getMessage(), e);
        } finally {
            if (aside != null) {
                try {
                    Files.deleteIfExists(aside);
                } catch (IOException ignored) {
                    // a temporary file in the system's folder: nothing of the user's
                }
            }
        }
    }

    /** The training settings every dataset shares. */
    private static ObjectNode section(Path file, Path dir, JsonNode training, Long baseSeed) {
        if (training instanceof ObjectNode o) {
            for (String f : SET_BY_COMPARE) {
                if (o.has(f)) {
                    throw ConfigLoader.fieldError(file, "/training/" + f, "is set by compare for each dataset (the trainings "
                            + "are named and placed per dataset, trained on its run folder and evaluated on /benchmarks); "
                            + "remove it");
                }
            }
            ObjectNode c = o.deepCopy();
            if (!c.has("seed")) {
                if (baseSeed == null) {
                    throw ConfigLoader.fieldError(file, "/training/seed", "missing: without variants there is no base "
                            + "experiment's seed to take");
                }
                c.put("seed", baseSeed);
            }
            return c;
        }
        if (training.isTextual()) {
            Path p;
            try {
                p = dir.resolve(training.asText()).normalize();
            } catch (InvalidPathException e) {
                throw ConfigLoader.fieldError(file, "/training", "\"" + training.asText().replace("\0", "\\0")
                        + "\" is not a valid path");
            }
            try {
                if (Json.MAPPER.readTree(Files.readString(p)) instanceof ObjectNode o) {
                    SET_BY_COMPARE.forEach(o::remove); // a training config file names its own; compare's replace them
                    return o;
                }
            } catch (IOException e) {
                throw ConfigLoader.fieldError(file, "/training", "cannot read training config " + p + ": " + e.getMessage());
            }
            throw ConfigLoader.fieldError(file, "/training", p + " does not hold a JSON object");
        }
        throw ConfigLoader.fieldError(file, "/training", "must be a training config object or the path of one");
    }

    private static RecognizerTraining trainer(Path file) {
        Iterator<RecognizerTraining> it = ServiceLoader.load(RecognizerTraining.class, GeneralizationPlan.class.getClassLoader())
                .iterator();
        if (!it.hasNext()) {
            throw ConfigLoader.fieldError(file, "/training", "training recognisers needs the exfacegan training module, which "
                    + "this build of the application does not include (an ONNX-only build, mvn ... -Donnx-only, leaves it out); "
                    + "build it with: " + EngineModule.FULL_BUILD + " (docs/training.md)");
        }
        return it.next();
    }
}
