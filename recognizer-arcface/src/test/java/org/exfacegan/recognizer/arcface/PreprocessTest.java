package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;

class PreprocessTest {
    private static final int S = FaceTemplate.SIZE;

    private static byte[] crop() {
        byte[] c = new byte[S * S * 3];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int i = (y * S + x) * 3;
                c[i] = (byte) (x * 2);
                c[i + 1] = (byte) (y + 10);
                c[i + 2] = (byte) 255;
            }
        }
        return c;
    }

    @Test
    void normalisationVariantsAndChannelOrder() {
        float[] out = new float[3 * S * S + 5];
        int plane = S * S;
        int p = 7 * S + 20; // y 7, x 20: R 40, G 17, B 255
        Preprocess.toNchw(crop(), false, 127.5f, 127.5f, false, out, 5);
        assertEquals((40 - 127.5f) / 127.5f, out[5 + p], 1e-6);
        assertEquals((17 - 127.5f) / 127.5f, out[5 + plane + p], 1e-6);
        assertEquals(1f, out[5 + 2 * plane + p], 1e-6);
        Preprocess.toNchw(crop(), false, 127.5f, 128f, false, out, 0);
        assertEquals((40 - 127.5f) / 128f, out[p], 1e-6);
        Preprocess.toNchw(crop(), false, 127f, 128f, true, out, 0);
        assertEquals((255 - 127f) / 128f, out[p], 1e-6, "BGR: blue plane first");
        assertEquals((17 - 127f) / 128f, out[plane + p], 1e-6);
        assertEquals((40 - 127f) / 128f, out[2 * plane + p], 1e-6);
    }

    @Test
    void flipMirrorsColumns() {
        float[] a = new float[3 * S * S];
        float[] b = new float[3 * S * S];
        Preprocess.toNchw(crop(), false, 0, 1, false, a, 0);
        Preprocess.toNchw(crop(), true, 0, 1, false, b, 0);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < S; y++) {
                for (int x = 0; x < S; x++) {
                    assertEquals(a[c * S * S + y * S + x], b[c * S * S + y * S + (S - 1 - x)]);
                }
            }
        }
    }

    @Test
    void l2Normalisation() {
        assertArrayEquals(new float[] {0.6f, -0.8f}, Preprocess.l2Normalize(new float[] {3, -4}, Path.of("m.onnx")), 1e-6f);
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> Preprocess.l2Normalize(new float[] {0, 0}, Path.of("m.onnx")));
        assertEquals(true, e.getMessage().contains("m.onnx"));
    }
}
