package org.exfacegan.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Augmentation is a function of its random stream; each operation does what its name says. */
class AugmenterTest {
    static final int S = 112;

    static byte[] face(long seed) {
        byte[] img = new byte[S * S * 3];
        SplittableRandom r = new SplittableRandom(seed);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                int v = 40 + x + r.nextInt(30); // a left-to-right ramp with noise: not mirror-symmetric
                img[(y * S + x) * 3] = (byte) v;
                img[(y * S + x) * 3 + 1] = (byte) (v / 2 + y / 2);
                img[(y * S + x) * 3 + 2] = (byte) (200 - v / 3);
            }
        }
        return img;
    }

    @Test
    void theSameStreamGivesTheSameImageAnotherStreamAnother() {
        Augmenter a = new Augmenter(true, 4, 16);
        byte[] img = face(1);
        byte[] copy = img.clone();
        assertArrayEquals(a.apply(img, S, S, new SplittableRandom(9)), a.apply(img, S, S, new SplittableRandom(9)));
        assertArrayEquals(copy, img, "the input is left as it is");
        int differ = 0;
        for (int s = 0; s < 20; s++) {
            differ += Arrays.equals(a.apply(img, S, S, new SplittableRandom(s)), a.apply(img, S, S, new SplittableRandom(s + 100))) ? 0 : 1;
        }
        assertTrue(differ >= 18, differ + " of 20 differ");
    }

    @Test
    void flipMirrorsAndIsItsOwnInverse() {
        byte[] img = face(2);
        byte[] m = Augmenter.mirror(img, S, S);
        assertEquals(img[0], m[(S - 1) * 3]);
        assertEquals(img[(5 * S + 7) * 3 + 2], m[(5 * S + S - 1 - 7) * 3 + 2]);
        assertArrayEquals(img, Augmenter.mirror(m, S, S));
        Augmenter flipOnly = new Augmenter(true, 0, 0);
        int flipped = 0;
        for (int s = 0; s < 200; s++) {
            byte[] out = flipOnly.apply(img, S, S, new SplittableRandom(s));
            if (Arrays.equals(out, m)) {
                flipped++;
            } else {
                assertArrayEquals(img, out);
            }
        }
        assertTrue(flipped > 70 && flipped < 130, flipped + " of 200 flipped");
        assertTrue(new Augmenter(false, 0, 30).isIdentity());
    }

    @Test
    void magnitudeZeroLeavesGeometryAndEnhancementsAlone() {
        Augmenter zero = new Augmenter(false, 1, 0);
        byte[] img = face(3);
        for (Augmenter.Op op : new Augmenter.Op[] {Augmenter.Op.IDENTITY, Augmenter.Op.SHEAR_X, Augmenter.Op.SHEAR_Y,
            Augmenter.Op.TRANSLATE_X, Augmenter.Op.TRANSLATE_Y, Augmenter.Op.ROTATE, Augmenter.Op.BRIGHTNESS, Augmenter.Op.COLOR,
            Augmenter.Op.CONTRAST, Augmenter.Op.SHARPNESS, Augmenter.Op.POSTERIZE}) {
            assertArrayEquals(img, zero.apply(op, 1, img, S, S), op.name());
        }
    }

    @Test
    void everyOperationChangesTheImageAtHighMagnitude() {
        Augmenter strong = new Augmenter(false, 1, 30);
        byte[] img = face(4);
        for (Augmenter.Op op : Augmenter.Op.values()) {
            if (op != Augmenter.Op.IDENTITY) {
                assertFalse(Arrays.equals(img, strong.apply(op, 1, img, S, S)), op.name());
            }
        }
    }

    @Test
    void operationsDoWhatTheyAreNamed() {
        Augmenter a = new Augmenter(false, 1, 30);
        byte[] img = face(5);
        // translate by 150/331 of the width to the right: the left columns are black, the rest moved
        byte[] t = a.apply(Augmenter.Op.TRANSLATE_X, 1, img, S, S);
        int shift = (int) Math.round(150.0 / 331 * S);
        assertEquals(0, t[(10 * S + 3) * 3]);
        assertEquals(img[(10 * S + 20) * 3], t[(10 * S + 20 + shift) * 3]);
        // brightness x0.1 darkens every pixel, x1.9 brightens
        byte[] dark = a.apply(Augmenter.Op.BRIGHTNESS, -1, img, S, S);
        byte[] bright = a.apply(Augmenter.Op.BRIGHTNESS, 1, img, S, S);
        for (int i = 0; i < img.length; i += 97) {
            assertTrue((dark[i] & 0xff) <= (img[i] & 0xff) && (bright[i] & 0xff) >= (img[i] & 0xff));
        }
        // color -0.9: nearly grey; posterize keeps 4 bits; solarize inverts everything at threshold 0
        byte[] grey = a.apply(Augmenter.Op.COLOR, -1, img, S, S);
        assertTrue(Math.abs((grey[0] & 0xff) - (grey[1] & 0xff)) < Math.abs((img[0] & 0xff) - (img[1] & 0xff)));
        for (byte b : a.apply(Augmenter.Op.POSTERIZE, 1, img, S, S)) {
            assertEquals(0, b & 0x0f);
        }
        byte[] sol = a.apply(Augmenter.Op.SOLARIZE, 1, img, S, S);
        assertEquals(255 - (img[7] & 0xff), sol[7] & 0xff);
        // rotation turns about the centre: the centre pixel stays
        byte[] rot = a.apply(Augmenter.Op.ROTATE, 1, img, S, S);
        int c = ((S / 2) * S + S / 2) * 3;
        assertTrue(Math.abs((rot[c] & 0xff) - (img[c] & 0xff)) <= 30);
        // autocontrast stretches each channel to 0..255
        byte[] ac = a.apply(Augmenter.Op.AUTO_CONTRAST, 1, img, S, S);
        int lo = 255;
        int hi = 0;
        for (int i = 0; i < ac.length; i += 3) {
            lo = Math.min(lo, ac[i] & 0xff);
            hi = Math.max(hi, ac[i] & 0xff);
        }
        assertEquals(0, lo);
        assertEquals(255, hi);
    }
}
