package org.exfacegan.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTest {
    @TempDir
    Path dir;

    @Test
    void normalsDependOnSeedAndIndexOnly() {
        float[] all = Latents.normal(3, 10, 6, 5);
        float[] part = Latents.normal(3, 12, 2, 5);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 10, 20), part);
        // odd and even dims share their leading values, so a sample is a prefix-stable stream
        assertArrayEquals(java.util.Arrays.copyOf(Latents.normal(3, 10, 1, 4), 4), java.util.Arrays.copyOf(all, 4));
        assertTrue(java.util.Arrays.stream(box(Latents.normal(-1, Long.MAX_VALUE, 1, 9))).allMatch(Float::isFinite));
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void broadcastAndTruncateFollowTheFormula() {
        // n = 2, L = 3, D = 2
        float[] w = {1, 2, 3, 4};
        float[] plus = Latents.broadcast(w, 2, 3, 2);
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, plus);
        assertArrayEquals(w, Latents.firstCopies(plus, 2, 3, 2));
        float[] avg = {1, 2};
        Latents.truncate(plus, 2, 3, 2, avg, 0.5, 2);
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 2, 3, 2, 3, 3, 4}, plus);
        float[] same = Latents.broadcast(w, 2, 3, 2);
        Latents.truncate(same, 2, 3, 2, avg, 1.0, 3);
        assertArrayEquals(Latents.broadcast(w, 2, 3, 2), same, "psi 1 changes nothing");
        // every other block (stride 2, from block 1) toward the second mean of [2, D]
        float[] blocks = Latents.broadcast(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 1, 2);
        Latents.truncateStrided(blocks, 1, 2, 2, 1, 2, new float[] {9, 9, 1, 2}, 2, 0, 1);
        assertArrayEquals(new float[] {1, 2, 1, 2, 5, 6, 1, 2}, blocks);
    }

    @Test
    void imagesConvertLikeTheOfficialCode() {
        // [1, 3, 1, 2] NCHW: R = (-1, 1), G = (0, 0.5), B = (2, NaN)
        FloatTensor t = FloatTensor.of(new float[] {-1, 1, 0, 0.5f, 2, Float.NaN}, 1, 3, 1, 2);
        ImageBatch img = Images.toRgb8(t, false, false, -1, 1);
        assertEquals(0, img.get(0, 0, 0, 0));
        assertEquals(128, img.get(0, 0, 0, 1));
        assertEquals(255, img.get(0, 0, 0, 2));
        assertEquals(255, img.get(0, 0, 1, 0));
        assertEquals(191, img.get(0, 0, 1, 1)); // floor(0.5 * 127.5 + 128) = 191
        assertEquals(0, img.get(0, 0, 1, 2));
        ImageBatch bgr = Images.toRgb8(t, false, true, -1, 1);
        assertEquals(255, bgr.get(0, 0, 0, 0));
        assertEquals(0, bgr.get(0, 0, 0, 2));
        // NHWC [1, 1, 2, 3] in [0, 1]
        ImageBatch nhwc = Images.toRgb8(FloatTensor.of(new float[] {0, 0.5f, 1, 1, 0, 0}, 1, 1, 2, 3), true, false, 0, 1);
        assertEquals(128, nhwc.get(0, 0, 0, 1));
        assertEquals(255, nhwc.get(0, 0, 1, 0));
        assertThrows(ExfaceganException.class, () -> Images.toRgb8(FloatTensor.of(new float[4], 1, 1, 2, 2), false, false, -1, 1));
    }
}
