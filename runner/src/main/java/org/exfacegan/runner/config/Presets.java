package org.exfacegan.runner.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.runner.plugin.PluginRegistry;

/**
 * Named recipes: {@code "preset": "paper"} fills every field the config leaves out with the
 * reference code's setting, so reproducing the paper needs one switch; explicit fields win. A
 * section whose kind the config changes ({@code fitter.type}, {@code labels.rule},
 * {@code sampling.mode}) takes nothing from the preset: its other settings belong to the preset's
 * choice. The backbone's truncation is filled only for backbones whose options have those fields.
 * In a smaller run (fewer {@code probes} given) the preset's probes_used and identities shrink to fit.
 */
public final class Presets {
    /** The reference code's recipe (DESIGN.md section 2, fdbtrs/ExFaceGAN). */
    static final String PAPER = """
            {"probes": 11000, "probes_used": 5000, "identities": 5000, "samples_per_identity": 50,
             "labels": {"rule": "median", "balanced": true, "train_fraction": 0.7},
             "fitter": {"type": "paper", "c": 1.0},
             "sampling": {"mode": "paper", "max_dist": 30.0, "max_dist_unit": "raw", "both_sides": true}}
            """;
    /** Backbone options of the paper recipe: psi 0.7 on the first 8 copies of w. */
    static final Map<String, Object> PAPER_TRUNCATION = Map.of("truncation_psi", 0.7, "truncation_cutoff", 8);
    /** The field naming each section's kind. */
    private static final Map<String, String> KIND = Map.of("labels", "rule", "fitter", "type", "sampling", "mode");

    public static final List<String> NAMES = List.of("paper");

    private Presets() {}

    /** Fills {@code tree} (a config's JSON) from its preset, if it names one; errors name the field. */
    static void apply(Path file, ObjectNode tree, PluginRegistry plugins) {
        JsonNode name = tree.get("preset");
        if (name == null || name.isNull()) {
            return;
        }
        if (!name.isTextual() || !NAMES.contains(name.asText())) {
            throw ConfigLoader.fieldError(file, "/preset", "unknown preset " + name + "; one of: " + String.join(", ", NAMES));
        }
        ObjectNode preset = (ObjectNode) read(PAPER);
        java.util.Set<String> filled = new java.util.HashSet<>();
        for (var it = preset.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode mine = tree.get(e.getKey());
            if (mine == null || mine.isNull()) {
                tree.set(e.getKey(), e.getValue().deepCopy());
                filled.add(e.getKey());
            } else if (mine instanceof ObjectNode section && e.getValue() instanceof ObjectNode defaults) {
                String kind = KIND.get(e.getKey());
                JsonNode chosen = section.get(kind);
                if (chosen != null && !chosen.isNull() && !chosen.equals(defaults.get(kind))) {
                    continue; // another fitter / rule / mode: the preset's settings of its own choice do not apply
                }
                defaults.fields().forEachRemaining(d -> {
                    if (section.get(d.getKey()) == null || section.get(d.getKey()).isNull()) {
                        section.set(d.getKey(), d.getValue().deepCopy());
                    }
                });
            }
        }
        // a smaller run than the paper's (explicit probes): the preset's counts shrink to fit it
        cap(tree, filled, "probes_used", "probes");
        cap(tree, filled, "identities", "probes_used");
        truncation(tree, plugins);
    }

    /** A count the preset filled may not exceed the count it is chosen from (when both are numbers). */
    private static void cap(ObjectNode tree, java.util.Set<String> filled, String field, String limit) {
        JsonNode value = tree.get(field);
        JsonNode max = tree.get(limit);
        if (filled.contains(field) && value != null && value.canConvertToLong() && max != null && max.canConvertToLong()
                && max.isIntegralNumber() && value.asLong() > max.asLong()) {
            tree.set(field, max.deepCopy());
        }
    }

    private static void truncation(ObjectNode tree, PluginRegistry plugins) {
        if (!(tree.get("backbone") instanceof ObjectNode backbone) || !backbone.path("type").isTextual()) {
            return; // reported when the config is bound
        }
        Class<?> settings;
        try {
            settings = plugins.require(ProviderKind.BACKBONE, backbone.get("type").asText()).provider().settingsType();
        } catch (RuntimeException e) {
            return; // an unknown backbone is reported with the names available
        }
        if (!settings.isRecord()) {
            return;
        }
        List<String> known = Arrays.stream(settings.getRecordComponents())
                .map(c -> PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName())).toList();
        JsonNode options = backbone.get("options");
        ObjectNode o = options instanceof ObjectNode given ? given : null;
        if (o == null && options != null && !options.isNull()) {
            return; // not an object: reported when bound
        }
        for (var e : PAPER_TRUNCATION.entrySet()) {
            if (known.contains(e.getKey()) && (o == null || o.get(e.getKey()) == null || o.get(e.getKey()).isNull())) {
                if (o == null) {
                    o = backbone.putObject("options");
                }
                o.set(e.getKey(), ConfigLoader.MAPPER.valueToTree(e.getValue()));
            }
        }
    }

    private static JsonNode read(String json) {
        try {
            return ConfigLoader.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
