package org.exfacegan.spark.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.layout.RunLayout;

/** What a folder holds on disk, every file (hidden ones too) by relative path with its SHA-256. */
public final class Trees {
    private Trees() {}

    public static Map<String, String> of(Path root) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Sha256.of(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Every hidden entry (file or folder) under {@code root}: temporaries a writer left. The writers'
     * temporaries folder itself stays between writes (writers cannot remove it safely while others
     * write): only what is inside it counts.
     */
    public static java.util.List<String> hidden(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            Path temporaries = root.resolve(RunLayout.TEMPORARIES);
            return s.filter(p -> !p.equals(root) && !p.equals(temporaries) && (p.startsWith(temporaries)
                            || p.getFileName().toString().startsWith("."))
                            && !p.getFileName().toString().endsWith(".crc"))
                    .map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
