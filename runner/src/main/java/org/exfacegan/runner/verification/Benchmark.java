package org.exfacegan.runner.verification;

import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.dataset.ImageFiles;

/**
 * A face-verification benchmark: images, and pairs of them labelled same / different identity.
 * Pair {@code k} compares {@code images[first[k]]} with {@code images[second[k]]}; an image may
 * take part in several pairs (LFW's {@code pairs.txt}) and is embedded once. Images are decoded
 * when embedded, so a benchmark of thousands of faces holds only their encoded bytes or paths.
 *
 * @param name    what tables call it: the file name without {@code .bin}, or the folder's name
 * @param source  the {@code .bin} file or the {@code pairs.txt} it was read from
 * @param aligned true when the images are crops the recogniser embeds as they are
 *                ({@code Recognizer.embedAligned}); false when it must find and align the face
 * @param images  the images, in the order the source lists them
 * @param first   per pair, the index of its first image
 * @param second  per pair, the index of its second image
 * @param same    per pair, true when both images show the same identity
 */
public record Benchmark(String name, Path source, boolean aligned, List<Image> images, int[] first, int[] second,
        boolean[] same) {

    /** One image of a benchmark; {@code label} names it in errors. */
    public interface Image {
        String label();

        /** The decoded image, RGB. */
        ImageBatch read();
    }

    /** An encoded image held in memory (PNG, JPEG, ...), as a {@code .bin} holds them. */
    public record Encoded(String label, byte[] bytes) implements Image {
        @Override
        public ImageBatch read() {
            return ImageFiles.decode(bytes, label);
        }
    }

    /** An image file. */
    public record File(Path path) implements Image {
        @Override
        public String label() {
            return "image " + path;
        }

        @Override
        public ImageBatch read() {
            return ImageFiles.read(path);
        }
    }

    public Benchmark {
        images = List.copyOf(images);
        if (first.length != second.length || first.length != same.length) {
            throw new IllegalArgumentException("benchmark " + name + ": " + first.length + " first images, " + second.length
                    + " second images and " + same.length + " labels");
        }
        for (int k = 0; k < first.length; k++) {
            if (first[k] < 0 || first[k] >= images.size() || second[k] < 0 || second[k] >= images.size()) {
                throw new IllegalArgumentException("benchmark " + name + ": pair " + k + " refers to an image outside 0.."
                        + (images.size() - 1));
            }
        }
    }

    /** A benchmark whose pair k is images 2k and 2k + 1 (insightface's {@code .bin} layout). */
    public static Benchmark consecutive(String name, Path source, boolean aligned, List<Image> images, boolean[] same) {
        if (images.size() != 2 * same.length) {
            throw new IllegalArgumentException("benchmark " + name + ": " + images.size() + " images for " + same.length
                    + " pairs (need 2 per pair)");
        }
        int[] first = new int[same.length];
        int[] second = new int[same.length];
        for (int k = 0; k < same.length; k++) {
            first[k] = 2 * k;
            second[k] = 2 * k + 1;
        }
        return new Benchmark(name, source, aligned, images, first, second, same);
    }

    public int pairs() {
        return same.length;
    }

    /** Pairs labelled same identity. */
    public int genuinePairs() {
        int n = 0;
        for (boolean s : same) {
            n += s ? 1 : 0;
        }
        return n;
    }
}
