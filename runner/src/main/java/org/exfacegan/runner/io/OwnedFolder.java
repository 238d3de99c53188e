package org.exfacegan.runner.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigException;

/**
 * A folder exfacegan writes into (a run's, a comparison's) is taken only when it is missing or
 * empty, or already ours, recognised by the marker file written when it was first taken.
 * Anything else (a user's folder, {@code /etc}) is refused before a byte is written or deleted
 * there, saying what was found.
 */
public final class OwnedFolder {
    /** Marker format: a newer one is refused (a later layout this version cannot read). */
    public static final int FORMAT = 1;
    private static final int LISTED = 8;

    public enum Kind {
        /** missing or empty: it is taken */
        NEW,
        /** holds the marker */
        OURS,
        /** made by an exfacegan from before the marker, recognised by its own files */
        EARLIER_VERSION
    }

    private OwnedFolder() {}

    /**
     * Classifies {@code root} or refuses it (a config error); reads only.
     *
     * @param marker         the marker's file name
     * @param what           what the folder holds when it is ours, for messages ("exfacegan run")
     * @param earlierVersion recognises a folder of ours made before the marker
     */
    public static Kind inspect(Path root, String marker, String what, Predicate<Path> earlierVersion) {
        if (!Files.exists(root)) {
            return Kind.NEW;
        }
        if (!Files.isDirectory(root)) {
            throw new ConfigException("output " + root + " exists and is not a folder; choose another output folder");
        }
        if (Files.isRegularFile(root.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
            checkFormat(root.resolve(marker), what);
            return Kind.OURS;
        }
        List<String> found = new ArrayList<>();
        long count;
        try (Stream<Path> s = Files.list(root)) {
            List<Path> entries = s.sorted().toList();
            count = entries.size();
            for (Path p : entries.subList(0, (int) Math.min(LISTED, count))) {
                found.add(p.getFileName() + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""));
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot read output folder " + root + ": " + e.getMessage(), e);
        }
        if (count == 0) {
            return Kind.NEW;
        }
        if (earlierVersion.test(root)) {
            return Kind.EARLIER_VERSION;
        }
        throw new ConfigException("output folder " + root + " is not empty and holds no " + what + " (it holds "
                + String.join(", ", found) + (count > LISTED ? " and " + (count - LISTED) + " more" : "") + "); exfacegan "
                + "writes only into a new or empty folder, or one it made: choose another output folder");
    }

    /** Writes the marker in place, forced to disk (a marker cut short by a crash still marks the folder). */
    public static void mark(Path root, String marker, String what) throws IOException {
        byte[] content = Json.line(new FolderMarker(FORMAT, what + " folder")).getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(root.resolve(marker), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            out.write(ByteBuffer.wrap(content));
            out.force(true);
        }
    }

    private static void checkFormat(Path marker, String what) {
        int format = FORMAT;
        try {
            format = FolderMarker.formatOf(readHead(marker), FORMAT);
        } catch (IOException e) {
            // unreadable: still ours
        }
        if (format > FORMAT) {
            throw new ConfigException("output folder " + marker.getParent() + " holds an " + what + " in format " + format
                    + ", written by a newer exfacegan (this one reads format " + FORMAT + "); use that version or another output folder");
        }
    }

    private static byte[] readHead(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            return in.readNBytes(4096);
        }
    }
}
