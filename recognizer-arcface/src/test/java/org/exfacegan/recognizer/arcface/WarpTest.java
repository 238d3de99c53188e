package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.exfacegan.api.image.ImageBatch;
import org.junit.jupiter.api.Test;

class WarpTest {
    /** R and G encode x and y linearly, so bilinear sampling of them is exact. */
    private static ImageBatch ramp(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                rgb[i] = (byte) x;
                rgb[i + 1] = (byte) y;
                rgb[i + 2] = (byte) 200;
            }
        }
        return new ImageBatch(1, h, w, rgb);
    }

    @Test
    void bilinearWarpSamplesTheMappedSourcePoint() {
        ImageBatch img = ramp(250, 250);
        Similarity toCrop = new Similarity(0.8 * Math.cos(0.4), 0.8 * Math.sin(0.4), -60, -20);
        float[] crop = Warp.similarity(img, 0, toCrop, 112, 112, false);
        Similarity back = toCrop.inverse();
        int inside = 0;
        for (int v = 0; v < 112; v++) {
            for (int u = 0; u < 112; u++) {
                double[] p = back.apply(u, v);
                int o = (v * 112 + u) * 3;
                if (p[0] >= 0 && p[1] >= 0 && p[0] <= 249 && p[1] <= 249) {
                    inside++;
                    assertEquals(p[0], crop[o], 1e-3, "x at " + u + "," + v);
                    assertEquals(p[1], crop[o + 1], 1e-3, "y at " + u + "," + v);
                    assertEquals(200, crop[o + 2], 1e-3);
                } else if (p[0] < -1 || p[1] < -1 || p[0] > 250 || p[1] > 250) {
                    assertEquals(0, crop[o + 2], 0, "outside the image is black at " + u + "," + v);
                }
            }
        }
        assertTrue(inside > 5000, "most of the crop lies inside the image: " + inside);
    }

    @Test
    void borderBlendsToBlackAcrossOnePixel() {
        ImageBatch img = ramp(10, 10);
        // shift by half a pixel left of the image: column 0 of the output samples x = -0.5
        float[] out = Warp.affine(img, 0, new double[] {1, 0, -0.5, 0, 1, 0}, 10, 10, false);
        assertEquals(100, out[2], 1e-3);
        assertEquals(200, out[3 + 2], 1e-3);
    }

    @Test
    void antialiasAveragesWhenShrinking() {
        // a 1-pixel checkerboard shrunk 3x: plain bilinear hits single pixels, antialias averages 3x3 of them
        int n = 48;
        byte[] rgb = new byte[n * n * 3];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                byte v = (byte) (((x + y) & 1) == 0 ? 255 : 0);
                for (int c = 0; c < 3; c++) {
                    rgb[(y * n + x) * 3 + c] = v;
                }
            }
        }
        ImageBatch img = new ImageBatch(1, n, n, rgb);
        float[] smooth = Warp.resize(img, 0, 0, 0, n, n, 16, 16, true);
        float[] sharp = Warp.resize(img, 0, 0, 0, n, n, 16, 16, false);
        for (int i = 0; i < smooth.length; i++) {
            assertEquals(127.5, smooth[i], 15.0);
        }
        double spread = 0;
        for (float v : sharp) {
            spread = Math.max(spread, Math.abs(v - 127.5));
        }
        assertTrue(spread > 100, "without antialias the checkerboard aliases: " + spread);
    }

    @Test
    void alignedCropPutsLandmarkDotsOnTheTemplate() {
        // dots drawn at known landmark positions of a rotated, scaled "face" land on the template after alignment
        int w = 640;
        int h = 480;
        Similarity placement = new Similarity(3.1 * Math.cos(-0.35), 3.1 * Math.sin(-0.35), 260, 90);
        float[] lm = placement.apply(FaceTemplate.arcface());
        byte[] rgb = new byte[w * h * 3];
        for (int k = 0; k < 5; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (Math.hypot(x - lm[2 * k], y - lm[2 * k + 1]) <= 6) {
                        rgb[(y * w + x) * 3 + 1] = (byte) 255;
                    }
                }
            }
        }
        byte[] crop = FaceTemplate.align(new ImageBatch(1, h, w, rgb), 0, lm, true);
        float[] t = FaceTemplate.arcface();
        for (int k = 0; k < 5; k++) {
            double sx = 0;
            double sy = 0;
            double sw = 0;
            for (int y = 0; y < 112; y++) {
                for (int x = 0; x < 112; x++) {
                    if (Math.hypot(x - t[2 * k], y - t[2 * k + 1]) < 5) {
                        double v = crop[(y * 112 + x) * 3 + 1] & 0xff;
                        sx += v * x;
                        sy += v * y;
                        sw += v;
                    }
                }
            }
            assertTrue(sw > 0, "dot " + k + " is in the crop");
            double err = Math.hypot(sx / sw - t[2 * k], sy / sw - t[2 * k + 1]);
            assertTrue(err < 0.5, "dot " + k + " lands " + err + " px from the template point");
        }
    }
}
