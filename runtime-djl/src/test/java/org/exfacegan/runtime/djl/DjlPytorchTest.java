package org.exfacegan.runtime.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;
import org.exfacegan.runtime.DefaultModelHost;
import org.exfacegan.runtime.TinyNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TorchScript fixtures from make_torchscript.py, the network of {@link TinyNet}. */
class DjlPytorchTest {
    private static final DefaultModelHost HOST = DefaultModelHost.fromServiceLoader();
    private static final List<TensorSpec> IN = List.of(new TensorSpec("x", new long[] {-1, 4}));
    private static final List<TensorSpec> OUT =
            List.of(new TensorSpec("y", new long[] {-1, 3}), new TensorSpec("z", new long[] {-1, 4}));

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(DjlPytorchTest.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, FloatTensor> run(ModelSession s, float[] x) {
        return s.run(Map.of("x", FloatTensor.of(x, x.length / TinyNet.IN, TinyNet.IN)));
    }

    @Test
    void sameNetworkAgreesOnBothRuntimesAndWithJava() {
        Path onnx = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        ModelOptions options = ModelOptions.DEFAULT.withBatchSize(3);
        try (ModelSession pt = HOST.open(fixture("tinynet.pt"), options); ModelSession ort = HOST.open(onnx, options)) {
            assertEquals("djl-pytorch", pt.runtime());
            assertEquals(IN, pt.inputs());
            assertEquals(OUT, pt.outputs());
            float[] x = TinyNet.inputs(7, 3);
            Map<String, FloatTensor> a = run(pt, x);
            Map<String, FloatTensor> b = run(ort, x);
            for (String out : List.of("y", "z")) {
                assertArrayEquals(b.get(out).shape(), a.get(out).shape());
                double diff = TinyNet.maxAbsDiff(a.get(out).data(), b.get(out).data());
                System.out.println("djl-pytorch vs onnxruntime, output " + out + ": max |diff| = " + diff);
                assertTrue(diff <= 1e-5, out + " differs by " + diff);
            }
            assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceY(x), a.get("y").data()) <= 1e-6);
        }
    }

    @Test
    void nativesComeFromTheJarIntoTheCacheOffline() throws IOException {
        try (ModelSession s = HOST.open(fixture("tinynet.pt"), ModelOptions.DEFAULT)) {
            assertEquals(4, run(s, TinyNet.inputs(1, 0)).get("z").dim(1));
        }
        assertEquals("true", System.getProperty("ai.djl.offline"));
        Properties bundled = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            bundled.load(in);
        }
        Path natives = DjlPytorchProvider.engineCacheDir().resolve(bundled.getProperty("version") + "-"
                + bundled.getProperty("flavor") + "-" + bundled.getProperty("classifier"));
        System.out.println("DJL natives at " + natives);
        assertTrue(Files.isRegularFile(natives.resolve("libtorch_cpu.so")), "no libtorch_cpu.so in " + natives);
        if (System.getenv("DJL_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
            assertTrue(natives.startsWith(DjlPytorchProvider.cacheDir().toAbsolutePath()), natives.toString());
        }
    }

    @Test
    void versionIsTheOneThisModuleWasBuiltWith() {
        // DJL's jars carry no version; the build writes it into this module's resources
        String v = new DjlPytorchProvider().version();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+ \\(PyTorch \\d+\\.\\d+\\.\\d+\\)"), v);
        assertTrue(v.startsWith(ai.djl.engine.Engine.getDjlVersion() + " "), v + " vs DJL " + ai.djl.engine.Engine.getDjlVersion());
    }

    @Test
    void undescribedModelAdoptsThePluginLayout() {
        try (ModelSession s = HOST.open(fixture("tinynet-bare.pt"), ModelOptions.DEFAULT)) {
            assertTrue(s.inputs().isEmpty());
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> run(s, TinyNet.inputs(2, 0)));
            assertTrue(e.getMessage().contains("tinynet-bare.pt") && e.getMessage().contains("expect()"), e.getMessage());
            s.expect(IN, OUT);
            assertEquals(OUT, s.outputs());
            float[] x = TinyNet.inputs(5, 1);
            assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceZ(x), run(s, x).get("z").data()) <= 1e-6);
        }
    }

    @Test
    void wrongOutputCountInAdoptedLayoutIsAnError() {
        try (ModelSession s = HOST.open(fixture("tinynet-bare.pt"), ModelOptions.DEFAULT)) {
            s.expect(IN, OUT.subList(0, 1));
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> run(s, TinyNet.inputs(2, 0)));
            assertTrue(e.getMessage().contains("returned 2 outputs"), e.getMessage());
        }
    }

    @Test
    void sidecarDescribesAndBadSidecarIsNamed() throws IOException {
        Path model = Files.copy(fixture("tinynet-bare.pt"), dir.resolve("m.pt"));
        Files.writeString(dir.resolve("m.pt.json"), "{\"inputs\":[{\"name\":\"x\",\"shape\":[-1,4]}],"
                + "\"outputs\":[{\"name\":\"y\",\"shape\":[-1,3]},{\"name\":\"z\",\"shape\":[-1,4]}]}");
        try (ModelSession s = HOST.open(model, ModelOptions.DEFAULT)) {
            assertEquals(IN, s.inputs());
            ExfaceganException e = assertThrows(ExfaceganException.class,
                    () -> s.run(Map.of("x", FloatTensor.of(new float[6], 2, 3))));
            assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[?, 4]")
                    && e.getMessage().contains("[2, 3]"), e.getMessage());
        }
        Files.writeString(dir.resolve("m.pt.json"), "{\"inputs\":[{\"name\":\"x\"}]}");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> HOST.open(model, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("m.pt.json"), e.getMessage());
    }

    @Test
    void corruptAndMissingModelsAreNamed() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.pt"), "not a torchscript archive");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> HOST.open(broken, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("cannot load TorchScript model") && e.getMessage().contains("broken.pt"),
                e.getMessage());
        ExfaceganException missing = assertThrows(ExfaceganException.class,
                () -> HOST.open(dir.resolve("gone.pt"), ModelOptions.DEFAULT));
        assertTrue(missing.getMessage().contains("gone.pt"), missing.getMessage());
    }

    @Test
    void cudaOnCpuBuildNamesTheDjlCudaSet() {
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> HOST.open(fixture("tinynet.pt"), new ModelOptions(null, "cuda:0", 4, 0)));
        System.out.println("djl cuda:0 on this build -> " + e.getMessage());
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("0.33.0")
                && e.getMessage().contains("pytorch-native-cu124") && e.getMessage().contains("-Pdjl-cuda"), e.getMessage());
    }

    @Test
    void hostPicksRuntimeByExtensionAndClosesSessions() {
        ModelSession s = HOST.open(fixture("tinynet.pt"), ModelOptions.DEFAULT);
        assertEquals("djl-pytorch", s.runtime());
        s.close();
        assertThrows(IllegalStateException.class, () -> run(s, TinyNet.inputs(1, 0)));
        assertFalse(HOST.runtimes().stream().noneMatch(r -> r.name().equals("onnxruntime")));
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> HOST.open(fixture("tinynet.pt"), ModelOptions.DEFAULT.withRuntime("onnxruntime")));
        assertTrue(e.getMessage().contains("tinynet.pt"), e.getMessage());
    }
}
