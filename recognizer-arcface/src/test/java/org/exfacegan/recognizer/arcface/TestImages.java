package org.exfacegan.recognizer.arcface;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.dataset.Png;

/** Crops to pictures for looking at test results. */
final class TestImages {
    private TestImages() {}

    static BufferedImage toImage(byte[] rgb, int w, int h) {
        return Png.toImage(new ImageBatch(1, h, w, rgb), 0);
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
