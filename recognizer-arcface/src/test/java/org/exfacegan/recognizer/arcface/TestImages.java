package org.exfacegan.recognizer.arcface;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.api.image.ImageBatch;

/** Image files <-> ImageBatch for tests (javax.imageio). */
final class TestImages {
    private TestImages() {}

    static ImageBatch read(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new IllegalArgumentException("not an image ImageIO can read: " + file);
            }
            int w = img.getWidth();
            int h = img.getHeight();
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            byte[] rgb = new byte[w * h * 3];
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
            return new ImageBatch(1, h, w, rgb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static BufferedImage toImage(byte[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                img.setRGB(x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
            }
        }
        return img;
    }

    /** Square crops in rows of {@code columns}, {@code gap} px apart, written as PNG. */
    static void contactSheet(List<byte[]> crops, int side, int columns, Path file) {
        int gap = 4;
        int rows = Math.max(1, (crops.size() + columns - 1) / columns);
        BufferedImage sheet = new BufferedImage(columns * (side + gap) + gap, rows * (side + gap) + gap, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < crops.size(); i++) {
            BufferedImage one = toImage(crops.get(i), side, side);
            sheet.getGraphics().drawImage(one, gap + (i % columns) * (side + gap), gap + (i / columns) * (side + gap), null);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(sheet, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
