package org.exfacegan.api.backbone;

import java.util.Arrays;

/**
 * The latent spaces of a backbone, per sample (batch dimension left out).
 *
 * @param zShape     shape of z, e.g. [512], or [k+1, d] for GANsformer (global component last)
 * @param wShape     shape of w before broadcasting, e.g. [512], or [k+1, d]
 * @param numWs      how many w copies the synthesis takes (w+ adds this dimension)
 * @param fitSpace   the space boundaries are fitted and moved in: "w" or "z"
 * @param resolution image height and width
 */
public record LatentLayout(int[] zShape, int[] wShape, int numWs, String fitSpace, int resolution) {
    public LatentLayout {
        zShape = zShape.clone();
        wShape = wShape.clone();
        if (!fitSpace.equals("w") && !fitSpace.equals("z")) {
            throw new IllegalArgumentException("latent space must be \"w\" or \"z\", got \"" + fitSpace + "\"");
        }
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
                && l.numWs == numWs && l.fitSpace.equals(fitSpace) && l.resolution == resolution;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(zShape) * 31 + Arrays.hashCode(wShape) + numWs * 7 + fitSpace.hashCode() + resolution;
    }

    @Override
    public String toString() {
        return "LatentLayout[z=" + Arrays.toString(zShape) + ", w=" + Arrays.toString(wShape) + ", numWs=" + numWs
                + ", fitSpace=" + fitSpace + ", resolution=" + resolution + "]";
    }
}
