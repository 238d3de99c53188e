package org.exfacegan.runner.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.io.InputFiles;
import org.exfacegan.runner.plugin.LoadedProvider;
import org.exfacegan.runner.plugin.PluginRegistry;

/**
 * Reads an experiment config and checks it completely before anything runs. Every error is one
 * message: the config file, the JSON pointer of the field at fault, and what was expected
 * (for provider names, the names available).
 */
public final class ConfigLoader {
    /** Shared by the config and the providers' settings: snake_case, strict. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION) // not "last one wins"
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // "" is not a number: without this Jackson reads "probes": "" as null
            .withCoercionConfigDefaults(c -> c.setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.EmptyString,
                    com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
            .build();

    private final PluginRegistry plugins;

    public ConfigLoader(PluginRegistry plugins) {
        this.plugins = plugins;
    }

    public ResolvedConfig load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String text = read(file, abs);
        JsonNode tree = tree(file, text, "");
        Presets.apply(file, (com.fasterxml.jackson.databind.node.ObjectNode) tree, plugins);
        ExperimentConfig c = bind(file, tree, "", ExperimentConfig.class);
        Path base = abs.getParent();
        positive(file, "/probes", c.probes());
        positive(file, "/samples_per_identity", c.samplesPerIdentity());
        int used = c.probes();
        if (c.probesUsed() != null) {
            positive(file, "/probes_used", c.probesUsed());
            if (c.probesUsed() > c.probes()) {
                throw fieldError(file, "/probes_used", "is " + c.probesUsed() + " but only " + c.probes() + " probes are drawn");
            }
            used = c.probesUsed();
        }
        if (c.identities() != null) {
            positive(file, "/identities", c.identities());
            if (c.identities() > used) {
                throw fieldError(file, "/identities", "is " + c.identities() + " but only " + used + " probes are "
                        + (used < c.probes() ? "used" : "drawn") + " (identities are chosen among the probes)");
            }
        }
        checkPipeline(file, c);
        ConfigRules.check(file, c, tree(file, text));
        Path output = outputFolder(file, base, c.output());
        ResolvedComponent backbone = component(file, base, "/backbone", ProviderKind.BACKBONE, c.backbone());
        ResolvedComponent recognizer = component(file, base, "/recognizer", ProviderKind.RECOGNIZER, c.recognizer());
        OutputPlace.checkApartFromModels(file, output, List.of(backbone.model(), recognizer.model()));
        return new ResolvedConfig(abs, c, output, backbone, recognizer);
    }

    /**
     * Only the recogniser of a config file, for tools that embed images (embed, verify): an
     * experiment config's {@code recognizer} section (the rest is not checked), or a file that
     * holds just such a section.
     */
    public ResolvedComponent loadRecognizer(Path file) {
        return loadSection(file, "recognizer", ProviderKind.RECOGNIZER, Map.of(), "");
    }

    /**
     * Only the backbone of a config file, for tools that render (render): an experiment config's
     * {@code backbone} section (the rest is not checked) or a file holding just such a section.
     * {@code overrides} replace fields of its {@code options} (values given on the command line by
     * {@code source}, e.g. "--truncation-psi"); a field the provider does not know is an error naming it.
     */
    public ResolvedComponent loadBackbone(Path file, Map<String, JsonNode> overrides, String source) {
        return loadSection(file, "backbone", ProviderKind.BACKBONE, overrides, source);
    }

    /** The JSON object a config file holds, for tools that read a part of it (errors name the file). */
    public static JsonNode readObject(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        JsonNode tree;
        try {
            tree = MAPPER.readTree(read(file, abs));
        } catch (IOException e) {
            throw translate(file, "", e);
        }
        if (tree == null || !tree.isObject()) {
            throw fieldError(file, "", "must be a JSON object (an experiment config or one of its sections)");
        }
        return tree;
    }

    private ResolvedComponent loadSection(Path file, String section, ProviderKind kind, Map<String, JsonNode> overrides,
                                          String source) {
        JsonNode tree = readObject(file);
        String pointer = tree.has(section) ? "/" + section : "";
        JsonNode node = pointer.isEmpty() ? tree : tree.get(section);
        if (!node.isObject()) {
            throw fieldError(file, pointer, "must be a JSON object (the " + section + " section)");
        }
        checkFieldNames(file, pointer, node, ComponentConfig.class);
        ComponentConfig c = bindNode(file, pointer, node, ComponentConfig.class);
        if (!overrides.isEmpty()) {
            c = override(file, pointer, kind, c, overrides, source);
        }
        return component(file, file.toAbsolutePath().normalize().getParent(), pointer, kind, c);
    }

    /** {@code c} with fields of its options replaced; each must be an option of the provider's settings. */
    private ComponentConfig override(Path file, String pointer, ProviderKind kind, ComponentConfig c,
                                     Map<String, JsonNode> overrides, String source) {
        Class<?> settings;
        try {
            settings = plugins.require(kind, c.type()).settingsType();
        } catch (RuntimeException e) {
            throw fieldError(file, pointer + "/type", plugins.unknownMessage(kind, c.type()));
        }
        java.util.Set<String> known = new TreeSet<>();
        if (settings.isRecord()) {
            for (var rc : settings.getRecordComponents()) {
                known.add(PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(rc.getName()));
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode options = c.options() != null && c.options().isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) c.options().deepCopy() : MAPPER.createObjectNode();
        for (var e : overrides.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException(source + ": " + kind.label() + " \"" + c.type() + "\" (config " + file
                        + ") has no option " + e.getKey() + (known.isEmpty() ? "" : "; its options: " + String.join(", ", known)));
            }
            options.set(e.getKey(), e.getValue());
        }
        return new ComponentConfig(c.type(), c.model(), c.runtime(), c.device(), c.batchSize(), c.threads(), options);
    }

    /**
     * A recogniser section kept elsewhere (a finished run's {@code run.json}): checked like one in
     * a config file, its model path relative to {@code base}; errors name {@code source}.
     */
    public ResolvedComponent recognizer(Path source, String pointer, Path base, ComponentConfig c) {
        return component(source, base, pointer, ProviderKind.RECOGNIZER, c);
    }

    /**
     * Where a run writes: a relative {@code output} must stay inside the config's folder (a
     * sub-folder of it), an absolute one is taken as the user's explicit choice; neither may
     * climb with "..". Inputs (models) may be anywhere: they are only read.
     */
    public static Path outputFolder(Path file, Path base, String output) {
        if (output.isBlank()) {
            throw fieldError(file, "/output", "must name a folder");
        }
        Path p = path(file, "/output", output);
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw fieldError(file, "/output", "\"" + output + "\" climbs out with \"..\"; outputs stay inside the "
                        + "config's folder " + base + " (write an absolute path without \"..\" to put it elsewhere)");
            }
        }
        Path resolved = base.resolve(p).normalize();
        if (!p.isAbsolute() && resolved.equals(base)) {
            throw fieldError(file, "/output", "\"" + output + "\" is the config's own folder; name a sub-folder for the run");
        }
        if (!p.isAbsolute()) {
            // through a symbolic link a relative output could leave the folder: compare where it really is
            Path real = OutputPlace.real(resolved);
            Path realBase = OutputPlace.real(base);
            if (!real.startsWith(realBase) || real.equals(realBase)) {
                throw fieldError(file, "/output", "\"" + output + "\" leads through a symbolic link to " + real + ", not inside "
                        + "the config's folder " + realBase + " (write an absolute path to put the run elsewhere)");
            }
        }
        return resolved;
    }

    private static JsonNode tree(Path file, String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw translate(file, "", e);
        }
    }

    /** A path from the config; names the field when the text cannot be a path (NUL, unpaired surrogate). */
    private static Path path(Path file, String pointer, String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw fieldError(file, pointer, "\"" + text.replace("\0", "\\0") + "\" is not a valid path (" + e.getReason() + ")");
        }
    }

    /** Configs are small; a bigger file is refused before it is read into memory. */
    static final long MAX_BYTES = 16L << 20;

    static String read(Path file, Path abs) {
        return read(file, abs, "config");
    }

    /** The text of a config file; {@code what} names it in errors ("config", "compare config"). */
    static String read(Path file, Path abs, String what) {
        byte[] bytes;
        try {
            String unusable = InputFiles.problem(abs, MAX_BYTES);
            if (unusable != null) {
                throw new ConfigException(what + " " + file + ": "
                        + (Files.exists(abs) ? unusable + " (is it a config?)" : "file not found"));
            }
            bytes = Files.readAllBytes(abs);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + " " + file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(what + " " + file + ": cannot read: " + e.getMessage(), e);
        }
        return Utf8Text.decode(bytes, problem -> new ConfigException(what + " " + file + ": not UTF-8 JSON: " + problem
                + "; save the " + what + " as UTF-8"));
    }

    /** Names and ranges of the pipeline sections. */
    private static void checkPipeline(Path file, ExperimentConfig c) {
        oneOf(file, "/labels/rule", c.labels().rule(), List.of("median", "ratio", "threshold"));
        oneOf(file, "/fitter/type", c.fitter().type(), List.of("least-squares", "svm", "paper"));
        oneOf(file, "/sampling/mode", c.sampling().mode(), SamplingConfig.MODES);
        if (c.labels().rule().equals("threshold") && c.labels().threshold() == null) {
            throw fieldError(file, "/labels/threshold", "is required when rule is \"threshold\"");
        }
        checkApplicable(file, c);
        optionalRange(file, "/labels/ratio", c.labels().ratio(), '(', 0, 0.5, ']');
        range(file, "/labels/train_fraction", c.labels().trainFraction(), '(', 0, 1, ')');
        if (c.uniqueness() != null) {
            range(file, "/uniqueness", c.uniqueness(), '[', -1, 1, ']');
        }
        SamplingConfig s = c.sampling();
        optionalRange(file, "/sampling/max_dist", s.maxDist(), '(', 0, Double.POSITIVE_INFINITY, ')');
        if (s.maxDistUnit() != null) {
            oneOf(file, "/sampling/max_dist_unit", s.maxDistUnit(), List.of("raw", "spread"));
        }
        optionalRange(file, "/sampling/sigma", s.sigma(), '[', 0, Double.POSITIVE_INFINITY, ')');
        optionalRange(file, "/sampling/distance_min", s.distanceMin(), '[', 0, Double.POSITIVE_INFINITY, ')');
        if (s.rank() != null && s.rank() < 1) {
            throw fieldError(file, "/sampling/rank", "must be >= 1 (and below the latent dimension), got " + s.rank());
        }
        optionalRange(file, "/sampling/step", s.step(), '[', 0, Double.POSITIVE_INFINITY, ')');
        optionalRange(file, "/sampling/variation", s.variation(), '[', 0, Double.POSITIVE_INFINITY, ')');
        if (c.dataset().contactSheet() < 0) {
            throw fieldError(file, "/dataset/contact_sheet", "must be >= 0");
        }
        checkRecordIo(file, c.dataset());
    }

    /** The RecordIO encoding options, each only where it has an effect (a setting that does nothing is a mistake). */
    private static void checkRecordIo(Path file, DatasetConfig d) {
        if (d.recordioFormat() != null) {
            oneOf(file, "/dataset/recordio_format", d.recordioFormat(), List.of("png", "jpeg"));
            if (!d.recordio()) {
                throw fieldError(file, "/dataset/recordio_format", "applies only with \"recordio\": true");
            }
        }
        if (d.jpegQuality() != null) {
            if (!d.recordioJpeg()) {
                throw fieldError(file, "/dataset/jpeg_quality", "applies only with \"recordio_format\": \"jpeg\"");
            }
            range(file, "/dataset/jpeg_quality", d.jpegQuality(), '[', 1, 100, ']');
        }
    }

    /**
     * A setting of another mode, rule or fitter than the one chosen would be silently ignored:
     * refused instead, naming it and what it belongs to.
     */
    private static void checkApplicable(Path file, ExperimentConfig c) {
        String field = c.sampling().inapplicable();
        if (field != null) {
            throw fieldError(file, "/sampling/" + field, "does not apply to mode \"" + c.sampling().mode() + "\" (it is a "
                    + "setting of mode \"" + SamplingConfig.modeOf(field) + "\"); remove it or change /sampling/mode");
        }
        String rule = c.labels().rule();
        for (String own : List.of("ratio", "threshold")) {
            Double value = own.equals("ratio") ? c.labels().ratio() : c.labels().threshold();
            if (value != null && !rule.equals(own)) {
                throw fieldError(file, "/labels/" + own, "does not apply to rule \"" + rule + "\" (it is a setting of rule \""
                        + own + "\"); remove it or change /labels/rule");
            }
        }
        if (c.fitter().ridge() != null && !c.fitter().type().equals("least-squares")) {
            throw fieldError(file, "/fitter/ridge", "does not apply to fitter \"" + c.fitter().type() + "\" (it is a setting "
                    + "of \"least-squares\"); remove it or change /fitter/type");
        }
    }

    private static void optionalRange(Path file, String pointer, Double value, char open, double lo, double hi, char close) {
        if (value != null) {
            range(file, pointer, value, open, lo, hi, close);
        }
    }

    private static void oneOf(Path file, String pointer, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw fieldError(file, pointer, "unknown value \"" + value + "\"; one of: " + String.join(", ", allowed));
        }
    }

    /** Checks lo < value < hi; a bracket side ('[' or ']') makes that bound inclusive. */
    private static void range(Path file, String pointer, double value, char open, double lo, double hi, char close) {
        boolean ok = (open == '[' ? value >= lo : value > lo) && (close == ']' ? value <= hi : value < hi);
        if (!ok) {
            throw fieldError(file, pointer, "is " + value + ", must be in " + open + lo + ", "
                    + (Double.isInfinite(hi) ? "inf" : Double.toString(hi)) + close);
        }
    }

    private ResolvedComponent component(Path file, Path base, String pointer, ProviderKind kind, ComponentConfig c) {
        LoadedProvider provider;
        try {
            provider = plugins.require(kind, c.type());
        } catch (RuntimeException e) {
            throw fieldError(file, pointer + "/type", plugins.unknownMessage(kind, c.type()));
        }
        Path model = base.resolve(path(file, pointer + "/model", c.model())).normalize();
        String unusable = InputFiles.problem(model, isDescriptor(model) ? DESCRIPTOR_MAX_BYTES : InputFiles.MAX_MODEL_BYTES);
        if (unusable != null) {
            throw fieldError(file, pointer + "/model", unusable);
        }
        if (c.runtime() != null) {
            try {
                plugins.require(ProviderKind.RUNTIME, c.runtime());
            } catch (RuntimeException e) {
                throw fieldError(file, pointer + "/runtime", plugins.unknownMessage(ProviderKind.RUNTIME, c.runtime()));
            }
        }
        ModelOptions options;
        try {
            options = c.modelOptions();
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().startsWith("device") ? "/device"
                    : e.getMessage().startsWith("batch") ? "/batch_size" : "/threads";
            throw fieldError(file, pointer + field, e.getMessage());
        }
        Object settings = settings(file, pointer + "/options", provider, c.options());
        return new ResolvedComponent(provider, model, options, settings);
    }

    /** The largest model descriptor (the backbones' own limit). */
    static final long DESCRIPTOR_MAX_BYTES = PluginJson.MAX_BYTES;

    /** A model given as a descriptor: its whole folder is the model (its graphs, w_avg beside it). */
    public static boolean isDescriptor(Path model) {
        Path name = model.getFileName();
        return name != null && name.toString().endsWith(".json");
    }

    /** Binds a provider's {@code options} object to its settings type. */
    private static Object settings(Path file, String pointer, LoadedProvider provider, JsonNode options) {
        Class<?> type = provider.settingsType();
        boolean empty = options == null || options.isNull() || (options.isObject() && options.isEmpty());
        if (type == Void.class || type == void.class) {
            if (!empty) {
                throw fieldError(file, pointer, provider.kind().label() + " \"" + provider.name() + "\" takes no options");
            }
            return null;
        }
        JsonNode node = empty ? MAPPER.createObjectNode() : options;
        checkFieldNames(file, pointer, node, type);
        return provider.call(() -> bindNode(file, pointer, node, type));
    }

    private static <T> T bindNode(Path file, String pointer, JsonNode node, Class<T> type) {
        try {
            return MAPPER.readerFor(type).readValue(node);
        } catch (IOException e) {
            throw translate(file, pointer, e);
        } catch (IllegalArgumentException e) {
            throw fieldError(file, pointer, e.getMessage());
        }
    }

    /**
     * Reads a config file of another kind (e.g. a training config) and binds it to a record as
     * strictly as an experiment config: size limit, unknown and missing fields, wrong types, each
     * named by its JSON pointer.
     */
    public static <T> T bindFile(Path file, Class<T> type) {
        return bind(file, read(file, file.toAbsolutePath().normalize()), "", type);
    }

    static <T> T bind(Path file, String text, String pointer, Class<T> type) {
        return bind(file, tree(file, text, pointer), pointer, type);
    }

    /** The JSON object of a config file's text. */
    private static JsonNode tree(Path file, String text, String pointer) {
        try {
            JsonNode tree = MAPPER.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw fieldError(file, pointer, "must be a JSON object, got " + (tree == null || tree.isMissingNode()
                        ? "an empty file" : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            return tree;
        } catch (IOException e) {
            throw translate(file, pointer, e);
        }
    }

    private static <T> T bind(Path file, JsonNode tree, String pointer, Class<T> type) {
        try {
            checkFieldNames(file, pointer, tree, type);
            return MAPPER.readerFor(type).readValue(tree);
        } catch (IOException e) {
            throw translate(file, pointer, e);
        }
    }

    /**
     * Reports unknown fields before binding: Jackson reports a missing required field first, and
     * for a typo ("psi" for "truncation_psi") the unknown name is the helpful message.
     */
    static void checkFieldNames(Path file, String pointer, JsonNode node, Class<?> type) {
        StrictJson.checkFieldNames(node, pointer, type, errors(file));
    }

    /** One clear message from a Jackson failure. */
    static ConfigException translate(Path file, String prefix, IOException e) {
        return (ConfigException) StrictJson.translate(e, prefix, errors(file));
    }

    /** Errors about a config file: "config FILE: ..." as ConfigException. */
    private static StrictJson.Errors errors(Path file) {
        return (detail, cause) -> new ConfigException("config " + file + ": " + detail, cause);
    }

    public static ConfigException fieldError(Path file, String pointer, String message) {
        return new ConfigException("config " + file + ": " + (pointer.isEmpty() ? "/" : pointer) + ": " + message);
    }

    private static void positive(Path file, String pointer, int value) {
        if (value < 1) {
            throw fieldError(file, pointer, "must be >= 1, got " + value);
        }
    }

    /** Pretty JSON of any value (configs in run.json, provenance). */
    public static String toJson(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
