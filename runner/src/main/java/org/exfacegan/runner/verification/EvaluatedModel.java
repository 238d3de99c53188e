package org.exfacegan.runner.verification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.runner.config.ComponentConfig;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.plugin.PluginRegistry;

/**
 * A recogniser to evaluate, with the label its table row carries.
 *
 * @param label      row label
 * @param spec       what the user gave (a config file or a model file)
 * @param recognizer the recogniser, checked against the plugins
 */
public record EvaluatedModel(String label, String spec, ResolvedComponent recognizer) {
    /** The recogniser plugin a bare model file is opened with, with its default settings. */
    public static final String DEFAULT_PROVIDER = "arcface";
    private static final Pattern LABELLED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)");

    /**
     * Resolves {@code [LABEL=]PATH}: a {@code .json} file is an experiment config (its recognizer
     * section) or a recognizer section; any other file is a model (.onnx, .pt) opened by the arcface
     * plugin with its defaults on {@code device} with {@code batchSize} (null: the defaults). The
     * label defaults to the file name without its extension.
     *
     * @throws ConfigException naming the spec or the config field at fault
     */
    public static EvaluatedModel resolve(PluginRegistry registry, String spec, String device, Integer batchSize) {
        Matcher m = LABELLED.matcher(spec);
        boolean labelled = m.matches() && !Files.exists(Path.of(spec));
        String text = labelled ? m.group(2) : spec;
        Path file;
        try {
            file = Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException("--model " + spec + ": not a valid path (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--model " + spec + ": file not found: " + file.toAbsolutePath().normalize());
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String label = labelled ? m.group(1) : dot > 0 ? name.substring(0, dot) : name;
        ConfigLoader loader = new ConfigLoader(registry);
        if (name.toLowerCase(Locale.ROOT).endsWith(".json")) {
            if (device != null || batchSize != null) {
                throw new ConfigException("--model " + spec + ": --device and --batch-size apply to model files; "
                        + "a recognizer config sets its own \"device\" and \"batch_size\"");
            }
            return new EvaluatedModel(label, spec, loader.loadRecognizer(file));
        }
        if (registry.names(ProviderKind.RECOGNIZER).stream().noneMatch(DEFAULT_PROVIDER::equals)) {
            throw new ConfigException("--model " + spec + ": a model file is opened with the \"" + DEFAULT_PROVIDER
                    + "\" recogniser plugin, which is not loaded; " + registry.unknownMessage(ProviderKind.RECOGNIZER,
                    DEFAULT_PROVIDER) + " (or give a recognizer config .json)");
        }
        Path abs = file.toAbsolutePath().normalize();
        ComponentConfig c = new ComponentConfig(DEFAULT_PROVIDER, abs.toString(), null, device, batchSize, null, null);
        return new EvaluatedModel(label, spec, loader.recognizer(abs, "", abs.getParent(), c));
    }
}
