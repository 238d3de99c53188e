package org.exfacegan.spark.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.spark.store.OutputStore;
import org.exfacegan.spark.store.Publication;
import org.exfacegan.spark.store.Publisher;

/**
 * The files of a run that its driver writes (run.json, the probe set, references, boundaries,
 * sampling.json, the dataset's index files), kept in an output store as one unit, {@value #UNIT},
 * whose marker lists them: it is republished as the run goes on ({@link Publisher#replace}). The
 * run's own checksums (probe set, boundaries, dataset) judge their content on a resume, as on a local
 * disk; the marker says which files there are, so no store needs a recursive listing.
 */
final class DriverFiles {
    static final String UNIT = "driver";

    private DriverFiles() {}

    /** The driver's files in the run folder {@code root}: all but the units', the lock and the hidden ones. */
    static Publication of(Path root) {
        Publication.Builder p = Publication.named(UNIT);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String path = root.relativize(f).toString().replace('\\', '/');
                if (!path.equals(RunLayout.LOCK) && !UnitFiles.ofUnits(path) && !hidden(path)) {
                    p.file(path, Files.readAllBytes(f));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ExfaceganException("cannot read the driver's working folder " + root + ": " + e.getMessage(), e);
        }
        return p.build();
    }

    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies the driver's files the store holds into the run folder {@code root}, as they are (a
     * driver killed while replacing them leaves some newer than the marker: the run's checksums
     * decide what is kept, as after a crash on a local disk).
     */
    static void download(OutputStore store, Path root) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String path : new Publisher(store).listed(UNIT).keySet()) {
            if (store.exists(path)) {
                files.put(path, store.read(path));
            }
        }
        UnitFiles.writeInto(root, files);
    }
}
