package org.exfacegan.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The conformance tests of {@link BackboneConformanceSuite}, plus those of the shared descriptor
 * format (docs/backbones/descriptor.md) that the stylegan2, stylegan3 and gansformer plugins read:
 * static batches, w_avg in a .npy file, external weights, one combined graph, TorchScript, and the
 * errors a bad descriptor gets.
 */
@SuppressWarnings("unchecked")
public abstract class GanDescriptorConformanceSuite extends BackboneConformanceSuite {
    /** Architecture fields of the shared format, each read by one plugin (GanModel.ArchitectureField). */
    static final Map<String, Consumer<Map<String, Object>>> ARCHITECTURE_FIELDS = Map.of(
            "/components", m -> m.put("components", 3),
            "/synthesis/transform_input", m -> ((Map<String, Object>) m.get("synthesis")).put("transform_input", "transform"),
            "/synthesis/noise_inputs", m -> ((Map<String, Object>) m.get("synthesis")).put("noise_inputs",
                    Map.of("noise_0", "noise_0.npy")));

    /** The architecture field this plugin reads ("/components", "/synthesis/transform_input", ...), or null. */
    protected abstract String architectureField();

    @Test
    void architectureFieldsOfOtherBackbonesAreRefused() {
        for (var f : ARCHITECTURE_FIELDS.entrySet()) {
            if (!f.getKey().equals(architectureField())) {
                assertDescriptorError(f.getValue(), f.getKey(), "remove the field");
            }
        }
    }

    @Test
    void duplicateKeysAndWrongTypesAreRefused() throws IOException {
        Path folder = dir.resolve("dup");
        Map<String, Object> m = gan().write(folder, new TinyGan.Options());
        Path file = TinyGan.writeDescriptor(folder.resolve("descriptor.json"), m);
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst("\\{", "{\"z_dim\": 99, "));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(file, 0.7, 8, "w"));
        assertTrue(e.getMessage().startsWith("model descriptor " + file + ": /z_dim: given twice"), e.getMessage());
        Files.writeString(file, text.replace("\"z_dim\": " + spec().zDim(), "\"z_dim\": \"" + spec().zDim() + "\""));
        e = assertThrows(ExfaceganException.class, () -> open(file, 0.7, 8, "w"));
        assertTrue(e.getMessage().contains("/z_dim: wrong type: expected an integer"), e.getMessage());
        Files.writeString(file, text.replace("\"resolution\": " + spec().resolution(), "\"resolution\": null"));
        e = assertThrows(ExfaceganException.class, () -> open(file, 0.7, 8, "w"));
        assertTrue(e.getMessage().contains("/resolution: missing required field"), e.getMessage());
    }

    @Test
    void mappingThatBroadcastsToWPlusIsAccepted() {
        TinyGan g = gan();
        try (Backbone b = open(model(new TinyGan.Options().mappingWPlus()), 1, 0, "w")) {
            FloatTensor z = b.sampleZ(9, 0, 3);
            FloatTensor w = b.map(z);
            assertArrayEquals(g.map(z.data(), 3), w.data(), 1e-5f);
            assertEquals(b.layout().wShape().length + 1, w.rank());
        }
    }

    @Test
    void staticBatchesMustBeDeclared() {
        assumeTrue(spec().staticBatch() > 0, "this backbone's tiny model has a dynamic batch");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> openMutated(m -> synthesisOnnx(m).remove("static_batch")));
        assertTrue(e.getMessage().contains("static_batch") && e.getMessage().contains("synthesis.onnx"), e.getMessage());
    }

    @Test
    void dynamicBatchModelsMustNotClaimAStaticBatch() {
        assumeTrue(spec().staticBatch() == 0);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> openMutated(m -> synthesisOnnx(m).put("static_batch", 4)));
        assertTrue(e.getMessage().contains("dynamic batch") && e.getMessage().contains("static_batch"), e.getMessage());
    }

    @Test
    void wAvgFromNpyEqualsInline() {
        try (Backbone a = open(model(new TinyGan.Options().wAvgNpy()), 0, numWs(), "w");
                Backbone b = open(model(new TinyGan.Options()), 0, numWs(), "w")) {
            FloatTensor w = a.map(a.sampleZ(1, 0, 2));
            assertArrayEquals(b.truncate(w).data(), a.truncate(w).data(), 0f);
            assertArrayEquals(broadcast(repeat(gan().wAvg(), 2), 2), a.truncate(w).data(), 0f);
        }
    }

    @Test
    void externalWeightsBesideTheGraphWork() {
        try (Backbone a = open(model(new TinyGan.Options().externalData()), 0.7, 8, "w");
                Backbone b = open(model(new TinyGan.Options()), 0.7, 8, "w")) {
            FloatTensor fit = a.fitLatents(null, a.map(a.sampleZ(2, 0, 2)));
            assertArrayEquals(b.render(fit).rgb(), a.render(fit).rgb());
        }
    }

    @Test
    void oneCombinedGraphWorksLikeTwo() {
        try (Backbone one = open(model(new TinyGan.Options().combined()), 0.7, 2, "z");
                Backbone two = open(model(new TinyGan.Options()), 0.7, 2, "z")) {
            FloatTensor z = one.sampleZ(17, 0, 3);
            assertArrayEquals(two.map(z).data(), one.map(z).data(), 0f);
            FloatTensor fit = one.fitLatents(z, one.map(z));
            assertArrayEquals(two.render(fit).rgb(), one.render(fit).rgb());
        }
    }

    @Test
    void badDescriptorsNameFileFieldAndExpectation() {
        assertDescriptorError(m -> m.put("backbone", "other-gan"), "/backbone", "\"" + spec().backbone() + "\"");
        assertDescriptorError(m -> m.remove("z_dim"), "/z_dim", "missing");
        assertDescriptorError(m -> m.put("num_ws", 2.5), "/num_ws", "integer");
        assertDescriptorError(m -> m.put("format_version", 2), "/format_version", "expected 1");
        assertDescriptorError(m -> m.put("w_avg", List.of(1, 2, 3)), "/w_avg", "expected shape");
        assertDescriptorError(m -> m.put("w_avg", "missing.npy"), "/w_avg", "does not exist");
        assertDescriptorError(m -> m.put("resolutoin", 4), "/", "resolutoin");
        assertDescriptorError(m -> synthesisOnnx(m).put("file", "nope.onnx"), "/synthesis/onnx/file", "does not exist");
        assertDescriptorError(m -> synthesisOnnx(m).put("external_data", "nope.onnx.data"), "/synthesis/onnx/external_data",
                "does not exist");
        assertDescriptorError(m -> m.put("mapping", Map.of()), "/mapping", "at least one of");
        assertDescriptorError(m -> m.put("output_range", List.of(1, -1)), "/output_range", "low < high");
        assertDescriptorError(m -> m.put("channel_order", "RBG"), "/channel_order", "RGB");
        assertDescriptorError(m -> m.put("format", "torchscript"), "/format", "torchscript");
        if (spec().components() > 0) {
            assertDescriptorError(m -> m.remove("components"), "/components", "missing");
        } else {
            assertDescriptorError(m -> m.put("components", 3), "/components", "no latent components");
        }
        Path broken = dir.resolve("broken.json");
        try {
            Files.writeString(broken, "{\"format_version\": 1,");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(broken, 0.7, 8, "w"));
        assertTrue(e.getMessage().contains(broken.toString()) && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void descriptorsThatDoNotMatchTheModelAreRefused() {
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> openMutated(m -> m.put("z_dim", spec().zDim() + 1)));
        assertTrue(e.getMessage().contains("mapping.onnx") && e.getMessage().contains("'z'")
                && e.getMessage().contains(String.valueOf(spec().zDim() + 1)), e.getMessage());
        e = assertThrows(ExfaceganException.class, () -> openMutated(m -> m.put("resolution", spec().resolution() * 2)));
        assertTrue(e.getMessage().contains("synthesis.onnx") && e.getMessage().contains("'img'"), e.getMessage());
        e = assertThrows(ExfaceganException.class, () -> openMutated(m -> ((Map<String, Object>) m.get("mapping")).put("output", "w_plus")));
        assertTrue(e.getMessage().contains("'w_plus'"), e.getMessage());
    }

    @Test
    @Tag("djl") // left out of an ONNX-only build's tests (-Donnx-only)
    void torchScriptRunsThroughDjlLikeOnnx() {
        Path fixtures = torchScriptFixtures();
        assumeTrue(fixtures != null && Files.isRegularFile(fixtures.resolve("synthesis.pt")), "no TorchScript fixture");
        Path d = model(new TinyGan.Options().torchScript(fixtures));
        try (Backbone onnx = open(d, settings(0.7, 2, "w"), new ModelOptions("onnxruntime", "cpu", 4, 1));
                Backbone torch = open(d, settings(0.7, 2, "w"), new ModelOptions("djl-pytorch", "cpu", 4, 1))) {
            FloatTensor z = onnx.sampleZ(21, 0, 3);
            FloatTensor wOnnx = onnx.map(z);
            assertArrayEquals(wOnnx.data(), torch.map(z).data(), 1e-5f);
            byte[] a = onnx.render(onnx.fitLatents(z, wOnnx)).rgb();
            byte[] b = torch.render(torch.fitLatents(z, wOnnx)).rgb();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs((a[i] & 0xff) - (b[i] & 0xff)) <= 1, "pixel value " + i);
            }
        }
    }

    @Test
    void aGroundTruthOutputTheModelLacksIsRefused() {
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> openMutated(m -> ((Map<String, Object>) m.get("synthesis")).put("ground_truth_output", "truth")));
        assertTrue(e.getMessage().contains("'truth'"), e.getMessage());
    }

    @Test
    void aNuisanceOutputTheModelLacksIsRefused() {
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> openMutated(m -> ((Map<String, Object>) m.get("synthesis")).put("nuisance_output", "pose")));
        assertTrue(e.getMessage().contains("'pose'") && e.getMessage().contains("nuisance_output"), e.getMessage());
    }

    protected static Map<String, Object> synthesisOnnx(Map<String, Object> descriptor) {
        return (Map<String, Object>) ((Map<String, Object>) descriptor.get("synthesis")).get("onnx");
    }

    /** Writes the tiny model, changes its descriptor and opens it. */
    protected void openMutated(Consumer<Map<String, Object>> change) {
        Path folder = dir.resolve("x" + System.nanoTime());
        Map<String, Object> m = gan().write(folder, new TinyGan.Options());
        change.accept(m);
        try (Backbone b = open(TinyGan.writeDescriptor(folder.resolve("descriptor.json"), m), 0.7, 8, "w")) {
            throw new AssertionError("opened a bad descriptor: " + b.layout());
        }
    }

    private void assertDescriptorError(Consumer<Map<String, Object>> change, String pointer, String expectation) {
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> openMutated(change));
        String msg = e.getMessage();
        assertTrue(msg.contains("descriptor.json") && msg.contains(pointer) && msg.contains(expectation),
                "message should name the file, " + pointer + " and '" + expectation + "': " + msg);
    }

}
