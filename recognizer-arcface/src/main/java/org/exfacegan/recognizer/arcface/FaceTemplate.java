package org.exfacegan.recognizer.arcface;

import java.util.List;
import org.exfacegan.api.image.ImageBatch;

/**
 * Landmark layouts: the ArcFace 112x112 template faces are warped onto, and the fixed layout of
 * FFHQ-aligned images. Points are x,y of: image-left eye, image-right eye, nose tip, image-left
 * mouth corner, image-right mouth corner.
 */
public final class FaceTemplate {
    public static final int SIZE = 112;

    /** insightface's arcface_dst for 112x112 crops (DESIGN.md section 4). */
    static final float[] ARCFACE_112 = {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f};

    /**
     * The 5 points in FFHQ-aligned images as fractions of the image side: the FFHQ alignment
     * recipe applied to the 68 points of 22 detected real faces, means made left-right symmetric
     * (derivation and numbers in docs/recognizer-arcface.md; RealFaceModelTest re-measures them).
     */
    static final float[] FFHQ = {
        0.3799f, 0.4737f, 0.6201f, 0.4737f, 0.5f, 0.6259f, 0.3918f, 0.7365f, 0.6082f, 0.7365f};

    private FaceTemplate() {}

    /** The ArcFace template (a copy). */
    public static float[] arcface() {
        return ARCFACE_112.clone();
    }

    /** The fixed 5 points of a width x height FFHQ-aligned image, or of a custom fraction layout. */
    public static float[] fixedPoints(int width, int height, List<Double> fractions) {
        float[] out = new float[10];
        for (int i = 0; i < 10; i++) {
            double f = fractions == null ? FFHQ[i] : fractions.get(i);
            // fraction of the image extent in edge coordinates, to pixel-centre coordinates
            out[i] = (float) (f * (i % 2 == 0 ? width : height) - 0.5);
        }
        return out;
    }

    /** The transform from image pixels to the 112x112 crop for these 5 landmarks. */
    public static Similarity toArcFace(float[] landmarks) {
        return Similarity.estimate(landmarks, ARCFACE_112);
    }

    /** The aligned 112x112 RGB crop (interleaved bytes) of one image for its 5 landmarks. */
    public static byte[] align(ImageBatch images, int index, float[] landmarks, boolean antialias) {
        return Warp.toBytes(Warp.similarity(images, index, toArcFace(landmarks), SIZE, SIZE, antialias));
    }
}
