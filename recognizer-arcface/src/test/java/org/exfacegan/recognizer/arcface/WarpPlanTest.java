package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.exfacegan.api.image.ImageBatch;
import org.junit.jupiter.api.Test;

/** A precomputed warp gives exactly the bytes of the direct one: enlarging, shrinking, at the border. */
class WarpPlanTest {
    private static ImageBatch noise(int n, int w, int h, long seed) {
        byte[] rgb = new byte[n * w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new ImageBatch(n, h, w, rgb);
    }

    @Test
    void planIsBitIdenticalToTheDirectWarp() {
        for (int size : new int[] {64, 128, 300}) { // enlarging (k = 1) and shrinking (k = 2, 3) with antialias
            ImageBatch images = noise(3, size, size, size);
            float[] lm = FaceTemplate.fixedPoints(size, size, null);
            double[] inv = FaceTemplate.toArcFace(lm).inverse().matrix();
            for (boolean antialias : new boolean[] {true, false}) {
                Warp.Plan plan = Warp.Plan.of(size, size, inv, 112, 112, antialias);
                assertNotNull(plan);
                for (int i = 0; i < images.count(); i++) {
                    float[] direct = Warp.affine(images, i, inv, 112, 112, antialias);
                    assertArrayEquals(direct, plan.apply(images, i), "size " + size + " antialias " + antialias + " image " + i);
                    assertArrayEquals(Warp.toBytes(direct), plan.applyBytes(images, i), "bytes, size " + size + " image " + i);
                }
            }
        }
        // rotated, shifted partly off the image: black border blends as in the direct warp
        ImageBatch img = noise(1, 90, 70, 5);
        double[] inv = new Similarity(0.9 * Math.cos(0.5), 0.9 * Math.sin(0.5), -30, 15).inverse().matrix();
        assertArrayEquals(Warp.affine(img, 0, inv, 112, 112, true), Warp.Plan.of(90, 70, inv, 112, 112, true).apply(img, 0));
    }

    @Test
    void planRefusesOtherSizesAndHugeMaps() {
        double[] inv = FaceTemplate.toArcFace(FaceTemplate.fixedPoints(128, 128, null)).inverse().matrix();
        Warp.Plan plan = Warp.Plan.of(128, 128, inv, 112, 112, true);
        assertThrows(IllegalArgumentException.class, () -> plan.apply(noise(1, 64, 64, 1), 0));
        double[] shrink40 = {40, 0, 0, 0, 40, 0};
        assertNull(Warp.Plan.of(5000, 5000, shrink40, 112, 112, true));
    }
}
