package org.exfacegan.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum and L2 weight decay on a list of tensors, in one fused libtorch call per
 * tensor: v = momentum * v + lr * (g + wd * w); w = w - v (DJL's update: the learning rate
 * inside the velocity, which is PyTorch's SGD while the rate is constant). The velocities are ours,
 * so a checkpoint holds them; gradients are zeroed after the update.
 */
public final class Sgd {
    private final List<PtNDArray> params;
    private final List<PtNDArray> velocity = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;

    /** @param velocities the velocities to start from, as {@link #velocities()} gave them; null: zeros */
    public Sgd(List<PtNDArray> params, NDManager manager, double momentum, double weightDecay, float[] velocities) {
        this.params = List.copyOf(params);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        long n = 0;
        for (PtNDArray p : params) {
            n += p.size();
        }
        if (velocities != null && velocities.length != n) {
            throw new IllegalArgumentException("checkpoint holds " + velocities.length + " momentum values, the network has " + n);
        }
        int at = 0;
        for (PtNDArray p : params) {
            int size = Math.toIntExact(p.size());
            velocity.add((PtNDArray) (velocities == null ? manager.zeros(p.getShape(), p.getDataType(), p.getDevice())
                    : manager.create(java.util.Arrays.copyOfRange(velocities, at, at + size), p.getShape())));
            at += size;
        }
    }

    public void step(double lr) {
        for (int i = 0; i < params.size(); i++) {
            PtNDArray p = params.get(i);
            PtNDArray g = JniUtils.getGradient(p);
            if (g == null) {
                continue; // not reached by this loss (never with our networks)
            }
            try (g) {
                JniUtils.sgdUpdate(p, g, velocity.get(i), (float) lr, weightDecay, 1f, -1f, momentum);
                JniUtils.zeroGrad(p);
            }
        }
    }

    /** The velocities, concatenated in parameter order (for a checkpoint). */
    public float[] velocities() {
        int n = 0;
        for (NDArray v : velocity) {
            n += Math.toIntExact(v.size());
        }
        float[] out = new float[n];
        int at = 0;
        for (NDArray v : velocity) {
            float[] f = v.toFloatArray();
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }
}
