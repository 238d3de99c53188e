package org.exfacegan.api.backbone;

/**
 * A named part of the fit-space latent, for backbones whose latent is split by meaning (GAN-Control:
 * identity, pose, expression, ...): dimensions {@code start} (inclusive) to {@code end} (exclusive)
 * of the flattened fit-space latent.
 */
public record SubLatent(String name, int start, int end) {
    public SubLatent {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a sub-latent needs a name");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("sub-latent \"" + name + "\" must satisfy 0 <= start < end, got [" + start
                    + ", " + end + ")");
        }
    }

    public int size() {
        return end - start;
    }
}
