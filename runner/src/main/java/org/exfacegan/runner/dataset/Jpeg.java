package org.exfacegan.runner.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A JPEG encoder for RGB images at one quality (deterministic: same pixels and quality, same bytes).
 * One ImageIO writer serves every image: looking a writer up costs more than encoding a 112x112 crop.
 */
public final class Jpeg implements AutoCloseable {
    private final ImageWriter writer;
    private final ImageWriteParam param;

    /** @param quality 1 (smallest) to 100 (best), as insightface's and OpenCV's quality settings */
    public Jpeg(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be in 1-100, got " + quality);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG writer in this JVM");
        }
        writer = writers.next();
        param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
    }

    public byte[] encode(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.reset();
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        writer.dispose();
    }
}
