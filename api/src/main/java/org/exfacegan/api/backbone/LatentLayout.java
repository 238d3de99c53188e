package org.exfacegan.api.backbone;

import java.util.Arrays;
import java.util.List;

/**
 * The latent spaces of a backbone, per sample (batch dimension left out).
 *
 * @param zShape     shape of z, e.g. [512], or [k+1, d] for GANsformer (global component last)
 * @param wShape     shape of w before broadcasting, e.g. [512], or [k+1, d]
 * @param numWs      how many w copies the synthesis takes (w+ adds this dimension)
 * @param fitSpace   the space boundaries are fitted and moved in: "w" or "z"
 * @param resolution image height and width
 * @param subLatents named parts of the flattened fit-space latent, in order and without overlap;
 *                   empty when the backbone names none (all but GAN-Control)
 */
public record LatentLayout(int[] zShape, int[] wShape, int numWs, String fitSpace, int resolution, List<SubLatent> subLatents) {
    public LatentLayout {
        zShape = zShape.clone();
        wShape = wShape.clone();
        if (!fitSpace.equals("w") && !fitSpace.equals("z")) {
            throw new IllegalArgumentException("latent space must be \"w\" or \"z\", got \"" + fitSpace + "\"");
        }
        subLatents = List.copyOf(subLatents);
        int dim = Arrays.stream(fitSpace.equals("w") ? wShape : zShape).reduce(1, Math::multiplyExact);
        int previousEnd = 0;
        for (SubLatent s : subLatents) {
            if (s.start() < previousEnd || s.end() > dim) {
                throw new IllegalArgumentException("sub-latent " + s + " overlaps the one before it or lies outside the "
                        + dim + " dimensions of the " + fitSpace + " space (sub-latents must be in order, without overlap)");
            }
            previousEnd = s.end();
        }
    }

    /** A layout that names no sub-latents. */
    public LatentLayout(int[] zShape, int[] wShape, int numWs, String fitSpace, int resolution) {
        this(zShape, wShape, numWs, fitSpace, resolution, List.of());
    }

    @Override
    public int[] zShape() {
        return zShape.clone();
    }

    @Override
    public int[] wShape() {
        return wShape.clone();
    }

    public int zSize() {
        return Arrays.stream(zShape).reduce(1, Math::multiplyExact);
    }

    public int wSize() {
        return Arrays.stream(wShape).reduce(1, Math::multiplyExact);
    }

    /** Dimension of a flattened latent in the fit space. */
    public int fitDim() {
        return fitSpace.equals("w") ? wSize() : zSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatentLayout l && Arrays.equals(l.zShape, zShape) && Arrays.equals(l.wShape, wShape)
                && l.numWs == numWs && l.fitSpace.equals(fitSpace) && l.resolution == resolution
                && l.subLatents.equals(subLatents);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(zShape) * 31 + Arrays.hashCode(wShape) + numWs * 7 + fitSpace.hashCode() + resolution
                + subLatents.hashCode();
    }

    @Override
    public String toString() {
        return "LatentLayout[z=" + Arrays.toString(zShape) + ", w=" + Arrays.toString(wShape) + ", numWs=" + numWs
                + ", fitSpace=" + fitSpace + ", resolution=" + resolution
                + (subLatents.isEmpty() ? "" : ", subLatents=" + subLatents) + "]";
    }
}
