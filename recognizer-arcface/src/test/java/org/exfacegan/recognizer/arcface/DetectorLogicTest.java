package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorLogicTest {
    @Test
    void nmsKeepsTheBestOfOverlappingBoxes() {
        float[] a = {10, 10, 110, 110, 0.9f};
        float[] b = {15, 12, 112, 108, 0.95f};
        float[] c = {300, 300, 360, 360, 0.7f};
        float[] d = {60, 10, 160, 110, 0.8f}; // IoU with b about 0.35: kept at 0.4
        List<float[]> kept = FaceDetector.nms(List.of(a, b, c, d), 0.4);
        assertEquals(3, kept.size());
        assertArrayEquals(b, kept.get(0));
        assertArrayEquals(d, kept.get(1));
        assertArrayEquals(c, kept.get(2));
        assertEquals(0, FaceDetector.iou(a, c));
        assertEquals(1, FaceDetector.iou(a, a), 1e-9);
    }

    @Test
    void fivePointsFromSixtyEight() {
        float[] p = new float[136];
        for (int i = 0; i < 68; i++) {
            p[2 * i] = i;
            p[2 * i + 1] = 1000 + i;
        }
        float[] five = FaceDetector.fivePoints(p);
        assertArrayEquals(new float[] {38.5f, 1038.5f, 44.5f, 1044.5f, 30, 1030, 48, 1048, 54, 1054}, five, 1e-4f);
    }
}
