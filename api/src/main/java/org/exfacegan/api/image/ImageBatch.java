package org.exfacegan.api.image;

/**
 * 8-bit RGB images of one size, stored interleaved row-major: pixel (n, y, x) channel c is at
 * {@code ((n * height + y) * width + x) * 3 + c}. Ownership of {@code rgb} passes to the batch.
 */
public record ImageBatch(int count, int height, int width, byte[] rgb) {
    public ImageBatch {
        if (count < 0 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image batch size " + count + "x" + height + "x" + width);
        }
        if ((long) count * height * width * 3 != rgb.length) {
            throw new IllegalArgumentException("image batch " + count + "x" + height + "x" + width
                    + "x3 needs " + ((long) count * height * width * 3) + " bytes, got " + rgb.length);
        }
    }

    public int imageBytes() {
        return height * width * 3;
    }

    /** One image as its own batch (copied). */
    public ImageBatch image(int index) {
        byte[] one = new byte[imageBytes()];
        System.arraycopy(rgb, index * imageBytes(), one, 0, one.length);
        return new ImageBatch(1, height, width, one);
    }

    /** Value of channel c at (n, y, x), 0-255. */
    public int get(int n, int y, int x, int c) {
        return rgb[((n * height + y) * width + x) * 3 + c] & 0xff;
    }
}
