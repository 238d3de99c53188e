package org.exfacegan.training.net;

import java.util.List;
import java.util.Map;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.pipeline.Seeds;
import org.exfacegan.training.config.TrainingConfig;
import org.exfacegan.training.torchscript.ScriptModule;
import org.exfacegan.training.torchscript.TorchScriptArchive;

/** The networks {@code train} offers, by config name, built with initial weights from the seed. */
public final class Networks {
    public static final List<String> TYPES = List.of("iresnet18", "iresnet34", "iresnet50", "mobilefacenet");
    /** Input and output names of the written module, as the djl-pytorch runtime reads them. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "embedding";
    private static final long PURPOSE = 0x1E1L;

    private Networks() {}

    public static ScriptModule build(TrainingConfig.Network n, long seed) {
        Layers layers = new Layers(Seeds.random(seed, PURPOSE));
        return switch (n.type()) {
            case "iresnet18" -> IResNet.build(layers, new int[] {2, 2, 2, 2}, n.width(), n.embeddingSize(), n.dropout(), n.stemStride());
            case "iresnet34" -> IResNet.build(layers, new int[] {3, 4, 6, 3}, n.width(), n.embeddingSize(), n.dropout(), n.stemStride());
            case "iresnet50" -> IResNet.build(layers, new int[] {3, 4, 14, 3}, n.width(), n.embeddingSize(), n.dropout(), n.stemStride());
            case "mobilefacenet" -> MobileFaceNet.build(layers, n.width(), n.embeddingSize());
            default -> throw new IllegalArgumentException("network type " + n.type());
        };
    }

    /** The input/output contract embedded in the .pt as {@code exfacegan.json} (docs/runtimes.md). */
    public static String ioDescription(int embeddingSize) {
        return ConfigLoader.toJson(Map.of(
                "inputs", List.of(Map.of("name", INPUT, "shape", List.of(-1, 3, 112, 112))),
                "outputs", List.of(Map.of("name", OUTPUT, "shape", List.of(-1, embeddingSize)))));
    }

    /** The network as a TorchScript archive with its contract embedded. */
    public static byte[] archive(ScriptModule net, int embeddingSize) {
        return TorchScriptArchive.toBytes(net, Map.of(TorchScriptArchive.IO_ENTRY, ioDescription(embeddingSize)));
    }

    /** Names of the parameters that do not train (the iResNet's last BN scale). */
    public static java.util.Set<String> fixedParameters(ScriptModule net) {
        java.util.Set<String> fixed = new java.util.TreeSet<>();
        net.parameters().forEach((name, t) -> {
            if (!t.trainable()) {
                fixed.add(name);
            }
        });
        return fixed;
    }

    /** Number of parameter values (trainable or not). */
    public static long parameterCount(ScriptModule net) {
        return net.parameters().values().stream().mapToLong(t -> t.data().length).sum();
    }
}
