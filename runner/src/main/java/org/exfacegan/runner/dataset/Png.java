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

    public static byte[] encode(ImageBatch batch, int index) {
        return encode(toImage(batch, index));
    }
}
