package org.exfacegan.backbone.gancontrol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.api.backbone.SubLatent;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.TinyGan;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to gancontrol: named sub-latents, its descriptor's checks, its z sampler. */
class GanControlModelTest {
    @TempDir
    Path dir;

    private Backbone open(Path descriptor, String space) {
        return new GanControlProvider().open(new PluginContext(descriptor, new GanControlSettings(0.7, null, LatentSpace.of(space)),
                DefaultModelHost.fromServiceLoader(), new ModelOptions(null, "cpu", 4, 1), PluginJson.READER));
    }

    private Path write(Consumer<Map<String, Object>> change) {
        Path folder = dir.resolve("m" + System.nanoTime());
        Map<String, Object> d = GanControlConformanceTest.descriptor(new TinyGan(GanControlConformanceTest.SPEC), folder,
                new TinyGan.Options());
        change.accept(d);
        return TinyGan.writeDescriptor(folder.resolve("descriptor.json"), d);
    }

    @Test
    void layoutNamesTheSubLatentsInOrderInBothSpaces() {
        // given out of order in the file: the layout lists them by position
        Path d = write(m -> m.put("sub_latents", new LinkedHashMap<>(Map.of("other", List.of(5, 6)))));
        Path ordered = write(m -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("other", List.of(5, 6));
            s.put("expression", List.of(3, 5));
            s.put("id", List.of(0, 3));
            m.put("sub_latents", s);
        });
        assertThrows(ExfaceganException.class, () -> open(d, "w"));
        List<SubLatent> expected = List.of(new SubLatent("id", 0, 3), new SubLatent("expression", 3, 5),
                new SubLatent("other", 5, 6));
        try (Backbone w = open(ordered, "w"); Backbone z = open(ordered, "z")) {
            assertEquals(expected, w.layout().subLatents());
            assertEquals(expected, z.layout().subLatents());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void badDescriptorsNameFileFieldAndExpectation() throws IOException {
        fails(m -> m.put("sub_latents", Map.of("id", List.of(0, 3), "other", List.of(4, 6))), "/sub_latents/other", "leaves a gap");
        fails(m -> m.put("sub_latents", Map.of("id", List.of(0, 4), "other", List.of(3, 6))), "/sub_latents/other", "overlaps");
        fails(m -> m.put("sub_latents", Map.of("id", List.of(0, 3), "other", List.of(3, 7))), "/sub_latents/other", "<= 6");
        fails(m -> m.put("sub_latents", Map.of("id", List.of(0, 3), "other", List.of(3, 5))), "/sub_latents", "end at 5");
        fails(m -> m.put("sub_latents", Map.of("id", List.of(3, 0))), "/sub_latents/id", "start < end");
        fails(m -> m.put("sub_latents", Map.of("id", List.of(0, 3, 6))), "/sub_latents/id", "[start, end)");
        fails(m -> m.put("sub_latents", Map.of("id", "all")), "/sub_latents/id", "wrong type");
        fails(m -> m.remove("sub_latents"), "/sub_latents", "missing");
        fails(m -> m.put("w_avg", List.of(1, 2)), "/w_avg", "expected 6 numbers");
        fails(m -> m.put("latent_dim", 7), "/sub_latents", "latent_dim is 7");
        fails(m -> m.put("backbone", "stylegan2"), "/backbone", "another backbone plugin");
        fails(m -> m.put("z_dim", 6), "/z_dim", "unknown field");
        fails(m -> m.put("num_ws", 0), "/num_ws", ">= 1");
        fails(m -> ((Map<String, Object>) m.get("synthesis")).put("file", "gone.onnx"), "/synthesis/file", "does not exist");
        fails(m -> ((Map<String, Object>) m.get("mapping")).put("ground_truth_output", "identity"), "/mapping/ground_truth_output",
                "only the synthesis");
        // the descriptor and the model disagree: the model's own error, with the descriptor named
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(write(m -> m.put("num_ws", 5)), "w"));
        assertTrue(e.getMessage().contains("synthesis.onnx") && e.getMessage().contains("'ws'")
                && e.getMessage().contains("descriptor.json"), e.getMessage());
        // duplicate keys are refused by the host's reader
        Path file = write(m -> { });
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"latent_dim\": 6, "));
        e = assertThrows(ExfaceganException.class, () -> open(file, "w"));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("/latent_dim: given twice"), e.getMessage());
    }

    private void fails(Consumer<Map<String, Object>> change, String pointer, String expectation) {
        Path file = write(change);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(file, "w"));
        assertTrue(e.getMessage().startsWith("model descriptor " + file + ": " + pointer + ": ") && e.getMessage().contains(expectation),
                "expected " + pointer + " and '" + expectation + "': " + e.getMessage());
    }

    /**
     * Hostile descriptors: every field, and every sub-latent range, replaced by values of every kind;
     * each either opens or is refused with an ExfaceganException with a message, never another error.
     */
    @Test
    void hostileDescriptorsAreRefusedWithOurError() throws Exception {
        Path file = write(m -> { });
        com.fasterxml.jackson.databind.node.ObjectNode base = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.exfacegan.runner.io.Json.MAPPER.readTree(file.toFile());
        String[] values = {"null", "-1", "0", "1", "3", "2147483647", "9999999999", "1e308", "-0.5", "\"x\"", "\"\"",
            "[]", "{}", "[0, 6]", "[6, 0]", "[0, 99999]", "[[1]]", "true", "{\"id\": [0, 6]}", "\"../../etc/passwd\""};
        List<String> fields = new java.util.ArrayList<>();
        base.fieldNames().forEachRemaining(f -> fields.add("/" + f));
        for (String f : List.of("id", "expression", "other")) {
            fields.add("/sub_latents/" + f);
        }
        for (String f : List.of("file", "input", "output")) {
            fields.add("/mapping/" + f);
            fields.add("/synthesis/" + f);
        }
        int opened = 0;
        int refused = 0;
        for (String field : fields) {
            for (String value : values) {
                com.fasterxml.jackson.databind.node.ObjectNode d = base.deepCopy();
                String parent = field.substring(0, field.lastIndexOf('/'));
                com.fasterxml.jackson.databind.node.ObjectNode at = parent.isEmpty() ? d
                        : (com.fasterxml.jackson.databind.node.ObjectNode) d.at(parent);
                at.set(field.substring(field.lastIndexOf('/') + 1), org.exfacegan.runner.io.Json.MAPPER.readTree(value));
                Files.writeString(file, d.toString());
                try (Backbone b = open(file, "w")) {
                    assertEquals(6, b.layout().fitDim(), field + " = " + value + " opened");
                    opened++;
                } catch (ExfaceganException e) {
                    assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), field + " = " + value + ": " + e);
                    refused++;
                }
            }
        }
        System.out.printf("gancontrol descriptor: %d hostile variants, %d opened, %d refused with our error%n", opened + refused,
                opened, refused);
        assertTrue(opened > 0 && refused > opened, opened + " opened, " + refused + " refused");
    }

    /** Each sample's z is its own stream: neighbouring samples (and seeds) are uncorrelated. */
    @Test
    void neighbouringSamplesAreIndependent() {
        try (Backbone b = open(write(m -> { }), "w")) {
            int n = 20_000;
            float[] z = b.sampleZ(3, 0, n).data();
            float[] other = b.sampleZ(4, 0, n).data();
            int d = 6;
            for (int j = 0; j < d; j++) {
                double next = 0;
                double seeds = 0;
                for (int i = 0; i + 1 < n; i++) {
                    next += z[i * d + j] * z[(i + 1) * d + j];
                    seeds += z[i * d + j] * other[i * d + j];
                }
                assertEquals(0, next / n, 0.03, "dimension " + j + ": sample i vs i + 1");
                assertEquals(0, seeds / n, 0.03, "dimension " + j + ": seed 3 vs seed 4");
            }
            FloatTensor again = b.sampleZ(3, 19_999, 1);
            assertEquals(z[19_999 * d], again.data()[0], 0f);
        }
    }
}
