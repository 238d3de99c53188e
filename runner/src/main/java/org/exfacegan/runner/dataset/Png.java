package org.exfacegan.runner.dataset;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.exfacegan.api.image.ImageBatch;

/** PNG encoding of RGB images (deterministic: same pixels, same bytes). */
public final class Png {
    private Png() {}

    public static BufferedImage toImage(ImageBatch batch, int index) {
        BufferedImage img = new BufferedImage(batch.width(), batch.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int off = index * batch.imageBytes();
        byte[] src = batch.rgb();
        for (int p = 0; p < batch.imageBytes(); p += 3) {
            dst[p] = src[off + p + 2];
            dst[p + 1] = src[off + p + 1];
            dst[p + 2] = src[off + p];
        }
        return img;
    }

    public static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG file's pixels as one RGB image. */
    public static ImageBatch read(java.nio.file.Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new org.exfacegan.api.ExfaceganException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new org.exfacegan.api.ExfaceganException("not a readable image: " + file);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0, p = 0; y < h; y++) {
            for (int x = 0; x < w; x++, p += 3) {
                int v = img.getRGB(x, y);
                rgb[p] = (byte) (v >> 16);
                rgb[p + 1] = (byte) (v >> 8);
                rgb[p + 2] = (byte) v;
            }
        }
        return new ImageBatch(1, h, w, rgb);
    }

    public static byte[] encode(ImageBatch batch, int index) {
        return encode(toImage(batch, index));
    }
}
