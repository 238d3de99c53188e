package org.exfacegan.training.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.engine.TorchNetwork;
import org.exfacegan.training.torchscript.ScriptModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our networks, written as TorchScript by our own code, load into libtorch (DJL) with the parameters we wrote. */
class NetworksTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"iresnet18, 0.125, 64", "iresnet34, 0.0625, 32", "iresnet50, 0.0625, 16", "mobilefacenet, 0.25, 128"})
    void loadsInLibtorchWithTheParametersWeWrote(String type, double width, int embedding) throws Exception {
        ScriptModule net = Networks.build(new TrainingConfig.Network(type, width, embedding, 0.0, 1), 7);
        Path file = Files.write(dir.resolve(type + ".pt"), Networks.archive(net, embedding));
        List<String> trainable = new ArrayList<>();
        net.parameters().forEach((name, t) -> {
            if (t.trainable()) {
                trainable.add(name);
            }
        });
        try (TorchNetwork loaded = TorchNetwork.load(file, Device.cpu(), null)) {
            assertEquals(trainable, loaded.trainableNames());
            for (int i = 0; i < trainable.size(); i++) {
                ScriptModule.Tensor t = net.parameters().get(trainable.get(i));
                assertArrayEquals(t.shape(), loaded.trainable().get(i).getShape().getShape(), trainable.get(i));
                assertArrayEquals(t.data(), loaded.trainable().get(i).toFloatArray(), trainable.get(i));
            }
            float[] input = new float[2 * 3 * 112 * 112];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) rnd.nextDouble(-1, 1);
            }
            float[] out = loaded.embed(input, 2);
            assertEquals(2 * embedding, out.length);
            for (float v : out) {
                assertTrue(Float.isFinite(v));
            }
            // the two faces differ, so must their embeddings
            assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(out, embedding),
                    java.util.Arrays.copyOfRange(out, embedding, 2 * embedding)));
        }
    }

    @Test
    void theSameSeedWritesTheSameBytesAnotherSeedOtherWeights() {
        TrainingConfig.Network n = new TrainingConfig.Network("iresnet18", 0.125, 32, 0.1, 1);
        byte[] a = Networks.archive(Networks.build(n, 3), 32);
        byte[] b = Networks.archive(Networks.build(n, 3), 32);
        byte[] c = Networks.archive(Networks.build(n, 4), 32);
        assertArrayEquals(a, b);
        assertEquals(a.length, c.length);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void iresnetHeadKeepsInsightfaceNamesAndFixesTheLastScale() {
        ScriptModule net = Networks.build(new TrainingConfig.Network("iresnet18", 0.125, 64, 0.0, 1), 1);
        var p = net.parameters();
        for (String name : List.of("conv1.weight", "bn1.weight", "prelu.weight", "layer1.0.bn1.weight", "layer1.0.conv1.weight",
                "layer1.0.downsample.0.weight", "layer1.0.downsample.1.bias", "layer4.1.conv2.weight", "bn2.weight", "fc.weight",
                "fc.bias", "features.weight", "features.bias")) {
            assertTrue(p.containsKey(name), name + " in " + p.keySet());
        }
        assertFalse(p.get("features.weight").trainable());
        assertTrue(p.get("features.bias").trainable());
        assertArrayEquals(new long[] {64, 64 * 7 * 7}, p.get("fc.weight").shape());
    }
}
