package org.exfacegan.training.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * CosFace (Wang et al., 2018) and ArcFace (Deng et al., 2019) on L2-normalised embeddings and
 * L2-normalised class weights: logits s * cos(theta_j), with the target class's cosine replaced by
 * cos(theta) - m (CosFace) or cos(theta + m) (ArcFace; where theta + m would pass pi, the
 * monotone continuation cos(theta) - m sin(m), as the ArcFace authors' code does), then softmax
 * cross-entropy.
 */
public final class MarginLoss {
    public enum Type { COSFACE, ARCFACE }

    /** What one forward pass gives: the mean loss (to back-propagate) and the margin-free cosines (for accuracy). */
    public record Result(NDArray loss, NDArray cosines) {}

    private final Type type;
    private final float s;
    private final float m;

    public MarginLoss(Type type, double s, double m) {
        this.type = type;
        this.s = (float) s;
        this.m = (float) m;
    }

    /**
     * @param embeddings [n, d] raw network outputs
     * @param weights    [classes, d] class weights (normalised here, each step)
     * @param oneHot     [n, classes] float one-hot labels
     */
    public Result forward(NDArray embeddings, NDArray weights, NDArray oneHot) {
        NDArray cos = embeddings.normalize(2, 1, 1e-12).matMul(weights.normalize(2, 1, 1e-12).transpose());
        NDArray target = cos.mul(oneHot).sum(new int[] {1}, true);
        NDArray marked = type == Type.COSFACE ? target.sub(m) : arc(target);
        NDArray logits = cos.add(oneHot.mul(marked.sub(target))).mul(s);
        NDArray loss = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).mean().neg();
        return new Result(loss, cos);
    }

    private NDArray arc(NDArray c) {
        NDArray sin = c.mul(c).neg().add(1f).clip(1e-9f, 1f).sqrt();
        NDArray phi = c.mul((float) Math.cos(m)).sub(sin.mul((float) Math.sin(m)));
        float threshold = (float) Math.cos(Math.PI - m);
        NDArray fallback = c.sub((float) (Math.sin(Math.PI - m) * m));
        return NDArrays.where(c.gt(threshold), phi, fallback);
    }
}
