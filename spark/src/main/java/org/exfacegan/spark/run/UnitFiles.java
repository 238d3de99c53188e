package org.exfacegan.spark.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.Identity;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.Publication;

/**
 * Which files of a run folder a unit of work wrote (a probe chunk: its folder under
 * {@code probe/chunks/}; an identity: its image folders, its {@code meta/} files and reference crop),
 * as one {@link Publication} for an output store. Everything else in a run folder is the driver's.
 */
final class UnitFiles {
    /** The folders whose files belong to units; nothing of the driver's lives there. */
    static final List<String> UNIT_FOLDERS = List.of(RunLayout.IMAGES, RunLayout.IMAGES_FULL, RunLayout.META,
            RunLayout.REFERENCE_CROPS, RunLayout.PROBE_CHUNKS);
    /** The units' names under which their markers are kept, by kind. */
    static final String PROBE_CHUNKS = "probe-chunks";
    static final String IDENTITIES = "identities";

    private UnitFiles() {}

    static String name(UnitRunner.Kind kind, int unit) {
        return switch (kind) {
            case PROBE_CHUNK -> PROBE_CHUNKS + "/" + String.format("%05d", unit);
            case IDENTITY -> IDENTITIES + "/" + Identity.name(unit);
        };
    }

    /** Whether {@code path} (relative, '/'-separated) is a unit's file. */
    static boolean ofUnits(String path) {
        return UNIT_FOLDERS.stream().anyMatch(f -> path.startsWith(f + "/"));
    }

    /** The files unit {@code unit} wrote into the run folder {@code root}. */
    static Publication collect(UnitRunner.Kind kind, int unit, Path root) {
        Publication.Builder p = Publication.named(name(kind, unit));
        if (kind == UnitRunner.Kind.PROBE_CHUNK) {
            folder(p, root, RunLayout.chunk(unit));
        } else {
            String id = Identity.name(unit);
            folder(p, root, RunLayout.identityFolder(RunLayout.IMAGES, id));
            folder(p, root, RunLayout.identityFolder(RunLayout.IMAGES_FULL, id));
            for (String dir : List.of(RunLayout.META, RunLayout.REFERENCE_CROPS)) {
                for (Map.Entry<String, byte[]> f : filesIn(root, dir, id + ".").entrySet()) {
                    p.file(dir + "/" + f.getKey(), f.getValue());
                }
            }
        }
        return p.build();
    }

    /** An owned folder of the unit, when it wrote one with files (an identity without kept images has none). */
    private static void folder(Publication.Builder p, Path root, String dir) {
        SortedMap<String, byte[]> files = filesIn(root, dir, "");
        if (!files.isEmpty()) {
            p.folder(dir, files);
        }
    }

    /** The files directly in {@code root/dir} whose name starts with {@code prefix}, by name. */
    private static SortedMap<String, byte[]> filesIn(Path root, String dir, String prefix) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        Path folder = root.resolve(dir);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : s.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(name, Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot read the unit's files in " + folder + ": " + RunFolder.describe(e), e);
        }
        return files;
    }

    /**
     * Writes files read from a store (path -> content) into the run folder {@code root}; a unit's own
     * folders (an identity's images, a probe chunk) are replaced whole.
     */
    static void writeInto(Path root, Map<String, byte[]> files) {
        java.util.Set<String> owned = new java.util.TreeSet<>();
        for (String path : files.keySet()) {
            String parent = path.substring(0, Math.max(0, path.lastIndexOf('/')));
            if (List.of(RunLayout.IMAGES, RunLayout.IMAGES_FULL, RunLayout.PROBE_CHUNKS).contains(
                    parent.substring(0, Math.max(0, parent.lastIndexOf('/'))))) {
                owned.add(parent);
            }
        }
        try {
            for (String dir : owned) {
                RunFolder.deleteTree(root.resolve(dir)); // nothing but the unit's own files stays in its folder
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = root.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot write into the working folder " + root + ": " + RunFolder.describe(e), e);
        }
    }

    /**
     * Writes unit {@code unit}'s files read from a store into the run folder {@code root}. An identity
     * always has its image folder, as in a local run, even one that kept no image (a store holds no
     * empty folder).
     */
    static void writeUnit(Path root, String unit, Map<String, byte[]> files) {
        writeInto(root, files);
        if (unit.startsWith(IDENTITIES + "/")) {
            Path images = root.resolve(RunLayout.identityFolder(RunLayout.IMAGES, unit.substring(IDENTITIES.length() + 1)));
            try {
                Files.createDirectories(images);
            } catch (IOException e) {
                throw new ExfaceganException("cannot write into the working folder " + root + ": " + RunFolder.describe(e), e);
            }
        }
    }

    /** Deletes a published unit's files from the run folder {@code root} (a task's scratch stays small). */
    static void removeFrom(Path root, Publication p) {
        try {
            for (String dir : p.folders()) {
                RunFolder.deleteTree(root.resolve(dir));
            }
            for (String path : p.files().keySet()) {
                Files.deleteIfExists(root.resolve(path));
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot clear the task's scratch folder " + root + ": " + RunFolder.describe(e), e);
        }
    }
}
