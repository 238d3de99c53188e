package org.exfacegan.api.backbone.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.TinyGan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTest {
    @TempDir
    Path dir;

    @Test
    void jsonParsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5e2, true, false, null], \"b\": \"x\\\"\\u00e9\\n\", \"c\": {}} ", "t");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(java.util.Arrays.asList(1.0, -250.0, true, false, null), m.get("a"));
        assertEquals("x\"\u00e9\n", m.get("b"));
        assertEquals(Map.of(), m.get("c"));
        assertEquals(List.of("a", "b", "c"), List.copyOf(m.keySet()), "field order kept");
    }

    @Test
    void jsonErrorsNameSourceAndPosition() {
        for (String bad : new String[] {"{\"a\": 1,}", "[1 2]", "{\"a\": 1} x", "{\"a\": 1, \"a\": 2}", "\"open", "01x", "-"}) {
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> Json.parse(bad, "file.json"), bad);
            assertTrue(e.getMessage().startsWith("file.json: invalid JSON at line 1, column "), e.getMessage());
        }
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> Json.parse("{\n  \"a\": tru\n}", "f"));
        assertTrue(e.getMessage().contains("line 2, column 8"), e.getMessage());
    }

    @Test
    void npyReadsFloat32AndRejectsOtherTypes() throws Exception {
        Path f = dir.resolve("a.npy");
        float[] data = {1.5f, -2f, 3.25f, 0f, 7f, 8f};
        TinyGan.writeNpy(f, data, 2, 3);
        FloatTensor t = Npy.read(f);
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(data, t.data());
        TinyGan.writeNpy(f, new float[] {4f}, 1);
        assertArrayEquals(new long[] {1}, Npy.read(f).shape());
        byte[] bytes = Files.readAllBytes(f);
        String header = new String(bytes, 10, bytes.length - 14, java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(f, replace(bytes, header, header.replace("<f4", "<i4")));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("<i4") && e.getMessage().contains(f.toString()), e.getMessage());
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        e = assertThrows(ExfaceganException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("needs 4 data bytes"), e.getMessage());
        Files.writeString(f, "not numpy");
        assertThrows(ExfaceganException.class, () -> Npy.read(f));
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        byte[] out = bytes.clone();
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, out, 10, t.length);
        assertEquals(from.length(), to.length());
        return out;
    }

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
        // n = 1, C = 2, L = 3, D = 2
        float[] w = {1, 2, 3, 4};
        float[] plus = Latents.broadcast(w, 1, 2, 3, 2);
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, plus);
        float[] avg = {0, 0, 1, 2};
        Latents.truncate(plus, 1, 2, 3, 2, avg, 0.5, 2);
        assertArrayEquals(new float[] {0.5f, 1, 0.5f, 1, 1, 2, 2, 3, 2, 3, 3, 4}, plus);
        float[] same = Latents.broadcast(w, 1, 2, 3, 2);
        Latents.truncate(same, 1, 2, 3, 2, avg, 1.0, 3);
        assertArrayEquals(Latents.broadcast(w, 1, 2, 3, 2), same);
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
