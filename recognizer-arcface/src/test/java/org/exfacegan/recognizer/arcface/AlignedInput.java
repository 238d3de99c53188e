package org.exfacegan.recognizer.arcface;

import org.exfacegan.api.image.ImageBatch;

/** Test bridge: the model input the plugin feeds for FFHQ-aligned images with default settings (fixed landmarks). */
public final class AlignedInput {
    private AlignedInput() {}

    /** [n, 3, 112, 112] as the arcface plugin builds it with {@link ArcFaceSettings#defaults()}. */
    public static float[] fixedLandmarks(ImageBatch images) {
        ArcFaceSettings s = ArcFaceSettings.defaults();
        float[] points = FaceTemplate.fixedPoints(images.width(), images.height(), null);
        int plane = 3 * FaceTemplate.SIZE * FaceTemplate.SIZE;
        float[] out = new float[images.count() * plane];
        for (int i = 0; i < images.count(); i++) {
            byte[] crop = FaceTemplate.align(images, i, points, s.antialias());
            Preprocess.toNchw(crop, false, s.mean(), s.std(), s.bgr(), out, i * plane);
        }
        return out;
    }
}
