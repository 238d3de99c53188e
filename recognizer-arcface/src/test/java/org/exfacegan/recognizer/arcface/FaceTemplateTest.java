package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceTemplateTest {
    @Test
    void ffhqPointsScaleWithTheImage() {
        float[] p1024 = FaceTemplate.fixedPoints(1024, 1024, null);
        assertArrayEquals(new float[] {388.5f, 484.6f, 634.5f, 484.6f, 511.5f, 640.4f, 400.7f, 753.7f, 622.3f, 753.7f},
                p1024, 0.06f);
        float[] p256 = FaceTemplate.fixedPoints(256, 256, null);
        for (int i = 0; i < 10; i++) {
            // same fractions: (p + 0.5) / size
            assertTrue(Math.abs((p1024[i] + 0.5) / 1024 - (p256[i] + 0.5) / 256) < 1e-6);
        }
    }

    @Test
    void customFractionsFollowWidthAndHeight() {
        List<Double> f = List.of(0.25, 0.5, 0.75, 0.5, 0.5, 0.6, 0.3, 0.8, 0.7, 0.8);
        float[] p = FaceTemplate.fixedPoints(200, 100, f);
        assertArrayEquals(new float[] {49.5f, 49.5f, 149.5f, 49.5f, 99.5f, 59.5f, 59.5f, 79.5f, 139.5f, 79.5f}, p, 1e-4f);
    }

    @Test
    void ffhqLayoutIsFaceShapedForTheTemplate() {
        // FFHQ points and the ArcFace template are both frontal faces: the similarity fit leaves a small residual
        float[] lm = FaceTemplate.fixedPoints(1024, 1024, null);
        Similarity s = FaceTemplate.toArcFace(lm);
        float[] m = s.apply(lm);
        float[] t = FaceTemplate.arcface();
        for (int k = 0; k < 5; k++) {
            double err = Math.hypot(m[2 * k] - t[2 * k], m[2 * k + 1] - t[2 * k + 1]);
            assertTrue(err < 3, "point " + k + " is " + err + " px off the template");
        }
        assertTrue(Math.abs(s.b()) < 1e-3, "an upright layout needs no rotation");
    }
}
