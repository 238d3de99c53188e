package org.exfacegan.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelRuntimeProvider;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime choice without any engine: a host over stand-in runtimes, as an ONNX-only build has it
 * (an "onnxruntime" for .onnx and no djl-pytorch).
 */
class DefaultModelHostTest {
    @TempDir
    Path dir;

    /** Opens nothing real: its sessions echo input "x" as "y", to see which runtime was picked. */
    record StandIn(String name, Set<String> fileExtensions) implements ModelRuntimeProvider {
        @Override
        public String version() {
            return "0";
        }

        @Override
        public String apiVersion() {
            return ApiVersion.CURRENT;
        }

        @Override
        public String description() {
            return "stand-in " + name;
        }

        @Override
        public ModelSession open(Path model, ModelOptions options) {
            List<TensorSpec> x = List.of(new TensorSpec("x", new long[] {-1, 2}));
            return new AbstractModelSession(model, name, x, List.of(new TensorSpec("y", new long[] {-1, 2}))) {
                @Override
                protected Map<String, FloatTensor> runChecked(Map<String, FloatTensor> given) {
                    return Map.of("y", given.get("x"));
                }

                @Override
                protected void release() {}
            };
        }
    }

    private static final DefaultModelHost ONNX_ONLY = new DefaultModelHost(List.of(new StandIn("onnxruntime", Set.of(".onnx"))));

    private Path file(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[] {1});
    }

    private static void assertSaysDjlIsLeftOutAndHowToBuildIt(String message, String model) {
        for (String part : List.of(model, "djl-pytorch", "module runtime-djl", "TorchScript (.pt)", "-Donnx-only",
                "mvn -q -DskipTests package", "onnxruntime [.onnx]")) {
            assertTrue(message.contains(part), "missing '" + part + "' in: " + message);
        }
    }

    @Test
    void torchScriptFileWithoutTheDjlEngineNamesItAndTheBuildThatHasIt() throws IOException {
        Path pt = file("generator.pt");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> ONNX_ONLY.open(pt, ModelOptions.DEFAULT));
        System.out.println(".pt on an ONNX-only host -> " + e.getMessage());
        assertSaysDjlIsLeftOutAndHowToBuildIt(e.getMessage(), "generator.pt");
        // the extension is matched as the runtimes match it: case does not matter
        Path upper = file("GENERATOR.PT");
        assertSaysDjlIsLeftOutAndHowToBuildIt(
                assertThrows(ExfaceganException.class, () -> ONNX_ONLY.open(upper, ModelOptions.DEFAULT)).getMessage(),
                "GENERATOR.PT");
    }

    @Test
    void djlEngineNamedInTheOptionsButLeftOutSaysSoToo() throws IOException {
        Path onnx = file("m.onnx");
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> ONNX_ONLY.open(onnx, ModelOptions.DEFAULT.withRuntime("djl-pytorch")));
        assertTrue(e.getMessage().startsWith("unknown model runtime 'djl-pytorch' for "), e.getMessage());
        assertSaysDjlIsLeftOutAndHowToBuildIt(e.getMessage(), "m.onnx");
    }

    @Test
    void namesAndFilesNoEngineOfOursKnowsGetNoBuildAdvice() throws IOException {
        Path bin = file("m.bin");
        String ext = assertThrows(ExfaceganException.class, () -> ONNX_ONLY.open(bin, ModelOptions.DEFAULT)).getMessage();
        assertTrue(ext.contains("m.bin") && ext.contains("name one explicitly") && ext.contains("onnxruntime [.onnx]"), ext);
        assertFalse(ext.contains("runtime-djl") || ext.contains("mvn"), ext);
        Path onnx = file("m.onnx");
        String name = assertThrows(ExfaceganException.class,
                () -> ONNX_ONLY.open(onnx, ModelOptions.DEFAULT.withRuntime("tensorflow"))).getMessage();
        assertTrue(name.contains("'tensorflow'") && name.contains("onnxruntime [.onnx]"), name);
        assertFalse(name.contains("runtime-djl") || name.contains("mvn"), name);
    }

    @Test
    void aHostWithTheDjlEngineOpensTorchScriptWithIt() throws IOException {
        DefaultModelHost both = new DefaultModelHost(List.of(new StandIn("onnxruntime", Set.of(".onnx")),
                new StandIn("djl-pytorch", Set.of(".pt"))));
        try (ModelSession s = both.open(file("m.pt"), ModelOptions.DEFAULT)) {
            assertEquals("djl-pytorch", s.runtime());
        }
    }

    @Test
    void aPluginRuntimeForTorchScriptStillOpensItWhenTheEngineIsLeftOut() throws IOException {
        DefaultModelHost host = DefaultModelHost.of(List.of(
                new DefaultModelHost.Runtime("onnxruntime", Set.of(".onnx"), true, new StandIn("onnxruntime", Set.of(".onnx"))),
                new DefaultModelHost.Runtime("my-torch", Set.of(".pt"), false, new StandIn("my-torch", Set.of(".pt")))));
        try (ModelSession s = host.open(file("m.pt"), ModelOptions.DEFAULT)) {
            assertEquals("my-torch", s.runtime());
            assertEquals(3, s.run(Map.of("x", FloatTensor.of(new float[6], 3, 2))).get("y").dim(0));
        }
    }
}
