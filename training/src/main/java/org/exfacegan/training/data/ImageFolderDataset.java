package org.exfacegan.training.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.dataset.ImageFiles;

/**
 * {@code ROOT/<identity>/<image>}: one folder per identity (sorted by name), its PNG, JPEG, BMP and
 * GIF files (sorted). Hidden entries (a run's unfinished {@code .name.tmp} folders) and other
 * files are ignored; an identity folder without images is skipped and recorded.
 */
final class ImageFolderDataset extends IndexedDataset {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final String kind;
    private final List<Path> files;

    private ImageFolderDataset(String kind, Path root, List<String> names, int[] counts, List<Path> files, List<String> skipped) {
        super(root, names, counts, skipped);
        this.kind = kind;
        this.files = files;
    }

    static ImageFolderDataset open(String kind, Path root) {
        List<String> names = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path dir : list(root)) {
            if (hidden(dir) || !Files.isDirectory(dir)) {
                continue;
            }
            List<Path> images = list(dir).stream().filter(p -> !hidden(p) && Files.isRegularFile(p) && isImage(p)).toList();
            if (images.isEmpty()) {
                skipped.add("identity folder " + dir + " holds no images");
                continue;
            }
            names.add(dir.getFileName().toString());
            counts.add(images.size());
            files.addAll(images);
        }
        return new ImageFolderDataset(kind, root, names, counts.stream().mapToInt(Integer::intValue).toArray(), files, skipped);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new ExfaceganException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public ImageBatch read(int sample) {
        return ImageFiles.read(files.get(sample));
    }

    @Override
    public String describe(int sample) {
        return files.get(sample).toString();
    }
}
