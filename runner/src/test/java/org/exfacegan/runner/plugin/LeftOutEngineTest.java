package org.exfacegan.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.run.Pipeline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host of an ONNX-only build: the built-ins of this class path without djl-pytorch. A config
 * or model that needs the left-out engine hears which one and how to build the application with it.
 */
class LeftOutEngineTest {
    @TempDir
    Path dir;

    private PluginRegistry onnxOnly;

    /** The registry of an ONNX-only build over the plugins in {@code plugins}. */
    private static PluginRegistry onnxOnly(Path plugins) {
        List<PluginStatus> statuses = new ArrayList<>();
        for (PluginStatus s : new PluginLoader().loadAll(plugins)) {
            statuses.add(!s.source().isBuiltIn() ? s : new PluginStatus(s.source(),
                    s.providers().stream().filter(p -> !p.name().equals("djl-pytorch")).toList(), s.error(), s.warning()));
        }
        return new PluginRegistry(statuses);
    }

    @BeforeEach
    void setUp() throws IOException {
        onnxOnly = onnxOnly(dir.resolve("no-plugins"));
        assertEquals(List.of("onnxruntime"), onnxOnly.names(ProviderKind.RUNTIME));
        Files.writeString(Files.createDirectories(dir.resolve("m")).resolve("gan.json"), "{}");
        Files.writeString(dir.resolve("face.pt"), "x");
    }

    private String configError(String runtime) throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"name": "t", "seed": 7, "output": "out",
                 "backbone": {"type": "test-gan", "model": "m/gan.json", "options": {"truncation_psi": 0.7}},
                 "recognizer": {"type": "test-face", "model": "face.pt", "runtime": "%s"},
                 "probes": 100, "identities": 10, "samples_per_identity": 5}
                """.formatted(runtime));
        return assertThrows(ConfigException.class, () -> new ConfigLoader(onnxOnly).load(config)).getMessage();
    }

    @Test
    void configNamingTheLeftOutEngineSaysHowToBuildIt() throws IOException {
        String e = configError("djl-pytorch");
        System.out.println("config naming djl-pytorch on an ONNX-only build -> " + e);
        assertTrue(e.contains("/recognizer/runtime: unknown runtime \"djl-pytorch\"; available: onnxruntime"), e);
        assertTrue(e.contains("module runtime-djl") && e.contains("-Donnx-only") && e.contains("mvn -q -DskipTests package"), e);
    }

    @Test
    void aRuntimeNameOfNoEngineOfOursGetsNoBuildAdvice() throws IOException {
        String e = configError("tensorflow");
        assertTrue(e.contains("/recognizer/runtime: unknown runtime \"tensorflow\"; available: onnxruntime"), e);
        assertFalse(e.contains("runtime-djl") || e.contains("mvn"), e);
        assertFalse(onnxOnly.unknownMessage(ProviderKind.BACKBONE, "djl-pytorch").contains("runtime-djl"),
                "only a runtime name is an engine's");
    }

    @Test
    void theRunsModelHostRefusesATorchScriptFileSayingWhy() {
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> Pipeline.modelHost(onnxOnly).open(dir.resolve("face.pt"), ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("face.pt") && e.getMessage().contains("djl-pytorch")
                && e.getMessage().contains("module runtime-djl") && e.getMessage().contains("mvn -q -DskipTests package"),
                e.getMessage());
    }

    @Test
    void aPluginCannotTakeTheNameOfTheEngineTheBuildLeftOut() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        new PluginJarBuilder().source("p.fake.FakeTorch", """
                package p.fake;
                public final class FakeTorch implements org.exfacegan.api.runtime.ModelRuntimeProvider {
                    public String name() { return "djl-pytorch"; }
                    public String version() { return "1"; }
                    public String apiVersion() { return org.exfacegan.api.ApiVersion.CURRENT; }
                    public String description() { return "not DJL"; }
                    public java.util.Set<String> fileExtensions() { return java.util.Set.of(".pt"); }
                    public org.exfacegan.api.runtime.ModelSession open(java.nio.file.Path m, org.exfacegan.api.runtime.ModelOptions o) {
                        throw new IllegalStateException("the impostor received " + m);
                    }
                }
                """).service("org.exfacegan.api.runtime.ModelRuntimeProvider", "p.fake.FakeTorch").write(plugins.resolve("fake-torch.jar"));
        new PluginJarBuilder().backbone("p.gan", "Gan", "djl-pytorch").write(plugins.resolve("gan.jar"));
        new PluginJarBuilder().backbone("p.ok", "Ok", "fine-gan").write(plugins.resolve("ok.jar"));
        PluginRegistry r = onnxOnly(plugins);
        for (String jar : List.of("fake-torch.jar", "gan.jar")) {
            PluginStatus s = r.statuses().stream().filter(x -> !x.source().isBuiltIn()
                    && x.source().location().getFileName().toString().equals(jar)).findFirst().orElseThrow();
            assertFalse(s.ok(), jar);
            assertTrue(s.error().endsWith("name \"djl-pytorch\" is reserved for the engine module runtime-djl, which this build left out"),
                    jar + ": " + s.error());
        }
        assertEquals(List.of("onnxruntime"), r.names(ProviderKind.RUNTIME));
        assertTrue(r.names(ProviderKind.BACKBONE).contains("fine-gan"), "other plugins load: " + r.names(ProviderKind.BACKBONE));
        assertFalse(r.names(ProviderKind.BACKBONE).contains("djl-pytorch"), r.names(ProviderKind.BACKBONE).toString());
    }
}
