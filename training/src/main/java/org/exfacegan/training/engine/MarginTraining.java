package org.exfacegan.training.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One optimiser step of margin-loss training on a network: forward in training mode, the margin
 * loss against the class weights, backward, momentum SGD on the network's trainable tensors and
 * the class weights. Holds the class weights and the optimiser state. The trainer and the
 * DJL-vs-PyTorch benchmark run this same code.
 */
public final class MarginTraining {
    /** A step's mean loss and how many of its images the margin-free cosines classified right. */
    public record StepResult(float loss, int correct) {}

    private final Engine engine;
    private final TorchNetwork network;
    private final NDArray head;
    private final Sgd sgd;
    private final MarginLoss loss;
    private final int classes;
    private final int embedding;

    /**
     * @param headWeights class weights [classes, embedding] to start from ({@link #initialHead} or a checkpoint's)
     * @param velocities  optimiser velocities to start from (a checkpoint's), or null for zeros
     */
    public MarginTraining(Engine engine, TorchNetwork network, NDManager headManager, int classes, int embedding, MarginLoss loss,
                          double momentum, double weightDecay, float[] headWeights, float[] velocities) {
        this.engine = engine;
        this.network = network;
        this.classes = classes;
        this.embedding = embedding;
        this.loss = loss;
        if (headWeights.length != (long) classes * embedding) {
            throw new IllegalArgumentException("class weights hold " + headWeights.length + " values, expected " + classes + " x "
                    + embedding);
        }
        head = headManager.create(headWeights, new Shape(classes, embedding));
        head.setRequiresGradient(true);
        List<PtNDArray> params = new ArrayList<>(network.trainable());
        params.add((PtNDArray) head);
        sgd = new Sgd(params, headManager, momentum, weightDecay, velocities);
    }

    /** Initial class weights: normal, std 0.01, from the stream. */
    public static float[] initialHead(int classes, int embedding, SplittableRandom rnd) {
        float[] w = new float[classes * embedding];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        return w;
    }

    /**
     * @param input     NCHW floats of {@code labels.length} faces
     * @param labels    class of each face
     * @param lr        learning rate of this step
     * @param torchSeed seed of libtorch's generator for this step (dropout masks)
     */
    public StepResult step(float[] input, long[] labels, double lr, long torchSeed) {
        try (NDManager m = network.manager().newSubManager()) {
            NDArray x = m.create(input, new Shape(labels.length, 3, 112, 112));
            NDArray oneHot = m.create(labels).oneHot(classes);
            JniUtils.setSeed(torchSeed);
            MarginLoss.Result r;
            try (GradientCollector gc = engine.newGradientCollector()) {
                r = loss.forward(network.forward(x, true), head, oneHot);
                gc.backward(r.loss());
            }
            float value = r.loss().getFloat();
            long[] predicted = r.cosines().argMax(1).toLongArray();
            int right = 0;
            for (int i = 0; i < predicted.length; i++) {
                right += predicted[i] == labels[i] ? 1 : 0;
            }
            if (Float.isFinite(value)) {
                sgd.step(lr);
            }
            return new StepResult(value, right);
        }
    }

    public int classes() {
        return classes;
    }

    /** Class weights [classes, embedding], row-major. */
    public float[] headWeights() {
        return head.toFloatArray();
    }

    public float[] velocities() {
        return sgd.velocities();
    }
}
