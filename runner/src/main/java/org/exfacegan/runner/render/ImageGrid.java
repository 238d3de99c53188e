package org.exfacegan.runner.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.dataset.Png;

/**
 * The first {@link #MAX_CELLS} images side by side, each shrunk by an integer box filter to at most
 * {@link #MAX_CELL} pixels, in a near-square grid: a look at a generator in one file.
 */
public final class ImageGrid {
    public static final int MAX_CELLS = 64;
    public static final int MAX_CELL = 256;

    private final int factor;
    private final int cellW;
    private final int cellH;
    private final int columns;
    private final int cells;
    private final BufferedImage grid;
    private int added;

    /** A grid for {@code count} images of {@code width} x {@code height} (only the first {@link #MAX_CELLS} are shown). */
    public ImageGrid(int count, int width, int height) {
        factor = Math.max(1, (Math.max(width, height) + MAX_CELL - 1) / MAX_CELL);
        cellW = width / factor;
        cellH = height / factor;
        cells = Math.min(count, MAX_CELLS);
        columns = (int) Math.ceil(Math.sqrt(cells));
        int rows = (cells + columns - 1) / columns;
        grid = new BufferedImage(Math.max(1, columns * cellW), Math.max(1, rows * cellH), BufferedImage.TYPE_3BYTE_BGR);
    }

    /** Adds image {@code index} of {@code batch} as the next cell, while there is room. */
    public void add(ImageBatch batch, int index) {
        if (added >= cells) {
            return;
        }
        byte[] dst = ((DataBufferByte) grid.getRaster().getDataBuffer()).getData();
        byte[] src = batch.rgb();
        int base = index * batch.imageBytes();
        int x0 = (added % columns) * cellW;
        int y0 = (added / columns) * cellH;
        int area = factor * factor;
        for (int y = 0; y < cellH; y++) {
            for (int x = 0; x < cellW; x++) {
                int[] sum = new int[3];
                for (int dy = 0; dy < factor; dy++) {
                    int row = base + ((y * factor + dy) * batch.width() + x * factor) * 3;
                    for (int dx = 0; dx < factor * 3; dx++) {
                        sum[dx % 3] += src[row + dx] & 0xff;
                    }
                }
                int at = ((y0 + y) * grid.getWidth() + x0 + x) * 3;
                for (int c = 0; c < 3; c++) { // RGB into the BGR raster
                    dst[at + 2 - c] = (byte) ((sum[c] + area / 2) / area);
                }
            }
        }
        added++;
    }

    /** Images shown (at most {@link #MAX_CELLS}). */
    public int cells() {
        return cells;
    }

    public byte[] png() {
        return Png.encode(grid);
    }
}
