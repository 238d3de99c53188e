package org.exfacegan.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;
import org.exfacegan.runtime.DefaultModelHost;
import org.exfacegan.runtime.TinyNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeTest {
    private static final DefaultModelHost HOST = DefaultModelHost.fromServiceLoader();

    @TempDir
    Path dir;

    private static Map<String, FloatTensor> run(ModelSession s, float[] x) {
        return s.run(Map.of("x", FloatTensor.of(x, x.length / TinyNet.IN, TinyNet.IN)));
    }

    @Test
    void tinyNetMatchesJavaReferenceAndReportsDynamicBatch() {
        Path model = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        try (ModelSession s = HOST.open(model, ModelOptions.DEFAULT.withBatchSize(3))) {
            assertEquals("onnxruntime", s.runtime());
            assertEquals(List.of(new TensorSpec("x", new long[] {-1, 4})), s.inputs());
            assertEquals(List.of(new TensorSpec("y", new long[] {-1, 3}), new TensorSpec("z", new long[] {-1, 4})),
                    s.outputs());
            float[] x = TinyNet.inputs(7, 1); // 7 rows in chunks of 3, 3, 1
            Map<String, FloatTensor> out = run(s, x);
            assertArrayEquals(new long[] {7, 3}, out.get("y").shape());
            assertArrayEquals(new long[] {7, 4}, out.get("z").shape());
            assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceY(x), out.get("y").data()) <= 1e-6);
            assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceZ(x), out.get("z").data()) <= 1e-6);
        }
    }

    @Test
    void staticBatchIsPaddedAndReturnsExactlyTheRealRows() {
        Path model = TinyNet.writeOnnx(dir.resolve("static.onnx"), 4);
        try (ModelSession s = HOST.open(model, ModelOptions.DEFAULT)) {
            assertEquals(new TensorSpec("x", new long[] {4, 4}), s.inputs().get(0));
            for (int n : new int[] {1, 4, 6, 10}) {
                float[] x = TinyNet.inputs(n, n);
                Map<String, FloatTensor> out = run(s, x);
                assertArrayEquals(new long[] {n, 3}, out.get("y").shape(), "rows for n=" + n);
                assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceY(x), out.get("y").data()) <= 1e-6);
                assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceZ(x), out.get("z").data()) <= 1e-6);
            }
        }
    }

    @Test
    void threadsOptionAndExternalDataOpen() {
        Path model = TinyNet.onnx(-1).externalData(true).write(dir.resolve("t.onnx"));
        assertTrue(Files.isRegularFile(dir.resolve("t.onnx.data")));
        try (ModelSession s = HOST.open(model, new ModelOptions("onnxruntime", "cpu", 2, 1))) {
            float[] x = TinyNet.inputs(5, 2);
            assertTrue(TinyNet.maxAbsDiff(TinyNet.referenceY(x), run(s, x).get("y").data()) <= 1e-6);
        }
    }

    @Test
    void missingFileIsNamed() {
        Path model = dir.resolve("nope.onnx");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> HOST.open(model, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("nope.onnx"), e.getMessage());
    }

    @Test
    void corruptModelIsNamed() throws IOException {
        Path model = Files.writeString(dir.resolve("broken.onnx"), "this is not a protobuf model");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> HOST.open(model, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("broken.onnx") && e.getMessage().contains("cannot load"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTensorExpectedAndActual() {
        Path model = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        try (ModelSession s = HOST.open(model, ModelOptions.DEFAULT)) {
            ExfaceganException e = assertThrows(ExfaceganException.class,
                    () -> s.run(Map.of("x", FloatTensor.of(new float[10], 2, 5))));
            assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("[?, 4]")
                    && e.getMessage().contains("[2, 5]"), e.getMessage());
            ExfaceganException rank = assertThrows(ExfaceganException.class,
                    () -> s.run(Map.of("x", FloatTensor.of(new float[8], 2, 2, 2))));
            assertTrue(rank.getMessage().contains("[2, 2, 2]"), rank.getMessage());
            ExfaceganException name = assertThrows(ExfaceganException.class,
                    () -> s.run(Map.of("input", FloatTensor.of(new float[8], 2, 4))));
            assertTrue(name.getMessage().contains("'x' is missing"), name.getMessage());
        }
    }

    @Test
    void staticBatchModelRejectsWrongRowSizeBeforeSplitting() {
        Path model = TinyNet.writeOnnx(dir.resolve("static.onnx"), 4);
        try (ModelSession s = HOST.open(model, ModelOptions.DEFAULT)) {
            ExfaceganException e = assertThrows(ExfaceganException.class,
                    () -> s.run(Map.of("x", FloatTensor.of(new float[15], 5, 3))));
            assertTrue(e.getMessage().contains("[4, 4]") && e.getMessage().contains("[5, 3]"), e.getMessage());
        }
    }

    @Test
    void unknownRuntimeAndExtensionListWhatExists() throws IOException {
        Path model = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> HOST.open(model, ModelOptions.DEFAULT.withRuntime("tensorflow")));
        assertTrue(e.getMessage().contains("'tensorflow'") && e.getMessage().contains("onnxruntime [.onnx]"),
                e.getMessage());
        Path other = Files.write(dir.resolve("model.bin"), new byte[] {1});
        ExfaceganException ext = assertThrows(ExfaceganException.class, () -> HOST.open(other, ModelOptions.DEFAULT));
        assertTrue(ext.getMessage().contains("model.bin") && ext.getMessage().contains("onnxruntime [.onnx]"),
                ext.getMessage());
    }

    @Test
    void withoutTheDjlModuleATorchScriptFileNamesTheEngineLeftOut() throws IOException {
        // this module's class path is an ONNX-only build's: the one engine it registers is ONNX Runtime
        assertEquals(List.of("onnxruntime"), HOST.runtimes().stream().map(r -> r.name()).toList());
        Path pt = Files.write(dir.resolve("m.pt"), new byte[] {1});
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> HOST.open(pt, ModelOptions.DEFAULT));
        assertTrue(e.getMessage().contains("m.pt") && e.getMessage().contains("djl-pytorch")
                && e.getMessage().contains("module runtime-djl"), e.getMessage());
    }

    @Test
    void cudaOnCpuBuildFailsWithWhatIsMissing() {
        Path model = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> HOST.open(model, new ModelOptions(null, "cuda:0", 4, 0)));
        System.out.println("cuda:0 on this build -> " + e.getMessage());
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("-Pcuda")
                && e.getMessage().contains("onnxruntime_gpu") && e.getMessage().contains("CUDA 12"), e.getMessage());
    }

    @Test
    void useAfterCloseThrows() {
        Path model = TinyNet.writeOnnx(dir.resolve("tiny.onnx"), -1);
        ModelSession s = HOST.open(model, ModelOptions.DEFAULT);
        s.close();
        s.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> run(s, TinyNet.inputs(1, 0)));
    }
}
