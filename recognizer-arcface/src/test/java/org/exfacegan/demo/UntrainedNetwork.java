package org.exfacegan.demo;

import java.nio.file.Path;
import java.util.Random;
import org.exfacegan.api.testing.OnnxWriter;

/**
 * A face-recognition-shaped network that has learned nothing: four stride-2 3x3 convolutions with
 * ReLU (16, 32, 64, 128 channels, He-initialised from a seed), global average pooling and a
 * linear 128-d embedding, on the ArcFace input [n, 3, 112, 112], (x - 127.5) / 127.5. What a
 * recogniser does before training, as the baseline the demo benchmark must tell apart from one
 * that knows the demo faces.
 */
final class UntrainedNetwork {
    static final int EMBEDDING = 128;
    private static final int[] CHANNELS = {3, 16, 32, 64, 128};

    private UntrainedNetwork() {}

    static Path write(Path file, long seed) {
        Random rnd = new Random(seed);
        OnnxWriter g = new OnnxWriter("untrained-face-net");
        Ops o = new Ops(g);
        g.input("input", -1, 3, 112, 112);
        String x = "input";
        for (int layer = 1; layer < CHANNELS.length; layer++) {
            int in = CHANNELS[layer - 1];
            int out = CHANNELS[layer];
            float[] w = new float[out * in * 9];
            double std = Math.sqrt(2.0 / (in * 9));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (std * rnd.nextGaussian());
            }
            String conv = o.fresh("conv");
            o.node("Conv", conv, x, o.t(w, out, in, 3, 3), o.t(new float[out], out))
                    .attrInts("kernel_shape", 3, 3).attrInts("strides", 2, 2).attrInts("pads", 1, 1, 1, 1);
            x = o.op("Relu", conv);
        }
        String pooled = o.flatten(o.op("GlobalAveragePool", x));
        int last = CHANNELS[CHANNELS.length - 1];
        float[] fc = new float[last * EMBEDDING];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = (float) (rnd.nextGaussian() / Math.sqrt(last));
        }
        o.identity(o.dense(pooled, fc, new float[EMBEDDING], last, EMBEDDING), "embedding");
        g.output("embedding", -1, EMBEDDING);
        return g.write(file);
    }
}
