package org.exfacegan.runner.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;

/** Reads image files safely (size checked before decoding) into RGB batches. */
public final class ImageFiles {
    private ImageFiles() {}

    /** One image file (any format javax.imageio reads: PNG, JPEG, BMP, GIF) as an RGB batch of one. */
    public static ImageBatch read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ExfaceganException("image not found: " + file);
        }
        return read(() -> ImageIO.createImageInputStream(file.toFile()), "image " + file);
    }

    /**
     * An encoded image held in memory (e.g. one of an insightface {@code .bin}) as an RGB batch of
     * one; {@code what} names it in errors ("image 17 of lfw.bin").
     */
    public static ImageBatch decode(byte[] encoded, String what) {
        // in memory: ImageIO's default stream for a byte source would cache it in a temporary file
        return read(() -> new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded)), what);
    }

    private interface Source {
        ImageInputStream open() throws IOException;
    }

    private static ImageBatch read(Source source, String what) {
        BufferedImage img;
        try {
            img = decode(source, what);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + what + ": " + e.getMessage(), e);
        } catch (ExfaceganException e) {
            throw e;
        } catch (RuntimeException e) { // a decoder tripping over a corrupt file
            throw new ExfaceganException("cannot read " + what + ": corrupt (" + e + ")", e);
        }
        if (img == null) {
            throw new ExfaceganException("cannot read " + what + ": not a format javax.imageio knows (PNG, JPEG, BMP, GIF)");
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
    }

    /** Largest image read, 64 megapixels: decoders allocate what the header claims before reading any data. */
    public static final long MAX_PIXELS = 1L << 26;

    /** Decodes with the first reader that knows the format, after checking the size its header declares; null: no reader. */
    private static BufferedImage decode(Source source, String what) throws IOException {
        try (ImageInputStream in = source.open()) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
                    throw new ExfaceganException("cannot read " + what + ": its header declares " + w + " x " + h
                            + " pixels, beyond the limit of " + MAX_PIXELS + " (64 megapixels)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

}
