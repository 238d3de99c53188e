package org.exfacegan.training.net;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.exfacegan.training.torchscript.ScriptClass;
import org.exfacegan.training.torchscript.ScriptModule;
import org.exfacegan.training.torchscript.ScriptModule.Tensor;

/**
 * The building blocks of our networks as TorchScript classes, with their initial weights drawn from
 * one seeded stream: convolution (no bias), batch norm, PReLU, linear, and sequential containers.
 * One instance builds one network (a class is shared by all its instances in that network).
 */
final class Layers {
    /** PyTorch's batch-norm default running-average momentum. */
    static final double BN_MOMENTUM = 0.1;

    final ScriptClass conv = new ScriptClass("Conv2d").parameter("weight").intAttribute("stride").intAttribute("padding")
            .intAttribute("groups")
            .line("return torch.conv2d(x, self.weight, None, [self.stride, self.stride], [self.padding, self.padding], "
                    + "[1, 1], self.groups)");
    final ScriptClass batchNorm = new ScriptClass("BatchNorm").parameter("weight").parameter("bias").buffer("running_mean")
            .buffer("running_var").floatAttribute("eps")
            .line("return torch.batch_norm(x, self.weight, self.bias, self.running_mean, self.running_var, self.training, "
                    + BN_MOMENTUM + ", self.eps, True)");
    final ScriptClass prelu = new ScriptClass("PReLU").parameter("weight").line("return torch.prelu(x, self.weight)");
    final ScriptClass linear = new ScriptClass("Linear").parameter("weight").parameter("bias")
            .line("return torch.linear(x, self.weight, self.bias)");
    final ScriptClass linearNoBias = new ScriptClass("LinearNoBias").parameter("weight")
            .line("return torch.linear(x, self.weight)");

    private final SplittableRandom rnd;
    private final Map<String, ScriptClass> sequentials = new HashMap<>();

    Layers(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** A convolution without bias, He-initialised (normal, std sqrt(2 / fan_in)). */
    ScriptModule conv(int in, int out, int kernel, int stride, int padding, int groups) {
        int fanIn = in / groups * kernel * kernel;
        return new ScriptModule(conv).set("weight", normal(Math.sqrt(2.0 / fanIn), out, in / groups, kernel, kernel))
                .set("stride", stride).set("padding", padding).set("groups", groups);
    }

    ScriptModule batchNorm(int channels, double eps) {
        return batchNorm(channels, eps, true);
    }

    /** Batch norm with scale 1 and shift 0; {@code trainableScale} false keeps the scale at 1 (insightface's final BN). */
    ScriptModule batchNorm(int channels, double eps, boolean trainableScale) {
        return new ScriptModule(batchNorm).set("weight", new Tensor(new long[] {channels}, filled(channels, 1f), trainableScale))
                .set("bias", constant(channels, 0f)).set("running_mean", constant(channels, 0f))
                .set("running_var", constant(channels, 1f)).set("eps", eps);
    }

    /** PReLU with one slope per channel, 0.25 as PyTorch starts it. */
    ScriptModule prelu(int channels) {
        return new ScriptModule(prelu).set("weight", constant(channels, 0.25f));
    }

    /** y = x W^T (+ b), W normal with std 1/sqrt(in), b zero. */
    ScriptModule linear(int in, int out, boolean bias) {
        ScriptModule m = new ScriptModule(bias ? linear : linearNoBias).set("weight", normal(1.0 / Math.sqrt(in), out, in));
        return bias ? m.set("bias", constant(out, 0f)) : m;
    }

    /** Children "0".."n-1" applied in order. */
    ScriptModule sequential(List<ScriptModule> children) {
        ScriptModule m = new ScriptModule(sequentialType(children.stream().map(ScriptModule::type).toList()));
        for (int i = 0; i < children.size(); i++) {
            m.set(Integer.toString(i), children.get(i));
        }
        return m;
    }

    /** The class of a sequential of children of these classes: one per distinct sequence. */
    ScriptClass sequentialType(List<ScriptClass> types) {
        StringBuilder signature = new StringBuilder();
        for (ScriptClass t : types) {
            signature.append(t.name()).append(',');
        }
        return sequentials.computeIfAbsent(signature.toString(), s -> {
            ScriptClass c = new ScriptClass("Sequential" + sequentials.size());
            for (int i = 0; i < types.size(); i++) {
                c.module(Integer.toString(i), types.get(i));
                c.line("x = getattr(self, \"" + i + "\").forward(x)");
            }
            return c.line("return x");
        });
    }

    private Tensor normal(double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * std);
        }
        return new Tensor(shape, v, true);
    }

    private static Tensor constant(int n, float value) {
        return new Tensor(new long[] {n}, filled(n, value), true);
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    /** Channel count scaled by the width factor: a multiple of 4, at least 4. */
    static int scaled(int channels, double width) {
        return Math.max(4, (int) Math.round(channels * width / 4) * 4);
    }
}
