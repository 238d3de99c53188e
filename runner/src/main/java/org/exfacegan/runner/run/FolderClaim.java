package org.exfacegan.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;

/**
 * Whether a folder may receive a run: a run writes only into a missing or empty folder, or into
 * one that already holds a run of ours, recognised by the marker file it wrote when it first took
 * the folder. Anything else (a user's folder, {@code /etc}) is refused before a byte is written or
 * deleted there, with what was found.
 */
final class FolderClaim {
    /** Marker of a run folder; its content is the format version, for later layouts. */
    static final String MARKER = ".exfacegan-run";
    static final int FORMAT = 1;
    private static final int LISTED = 8;

    enum Kind {
        /** missing or empty: the run takes it */
        NEW,
        /** holds our marker */
        OURS,
        /** a run of an exfacegan from before the marker (run.lock and a run.json with a config hash) */
        EARLIER_VERSION
    }

    private FolderClaim() {}

    /** Classifies {@code root} or refuses it; reads only. */
    static Kind inspect(Path root) {
        if (!Files.exists(root)) {
            return Kind.NEW;
        }
        if (!Files.isDirectory(root)) {
            throw new ConfigException("output " + root + " exists and is not a folder; choose another output folder");
        }
        Path marker = root.resolve(MARKER);
        if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            checkFormat(marker);
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
            throw new ExfaceganException("cannot read output folder " + root + ": " + RunFolder.describe(e), e);
        }
        if (count == 0) {
            return Kind.NEW;
        }
        if (isEarlierVersionRun(root)) {
            return Kind.EARLIER_VERSION;
        }
        throw new ConfigException("output folder " + root + " is not empty and holds no exfacegan run (it holds "
                + String.join(", ", found) + (count > LISTED ? " and " + (count - LISTED) + " more" : "") + "); a run writes "
                + "only into a new or empty folder, or resumes the run it left there: choose another output folder");
    }

    /** Runs made before the marker existed: the lock file and a run.json with a config hash. */
    private static boolean isEarlierVersionRun(Path root) {
        Path runJson = root.resolve(Pipeline.RUN_JSON);
        if (!Files.isRegularFile(root.resolve(RunFolder.LOCK), LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(runJson, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (Files.size(runJson) > (16 << 20)) {
                return false;
            }
            JsonNode n = ConfigLoader.MAPPER.readTree(Files.readString(runJson, StandardCharsets.UTF_8));
            return n != null && n.path("config_hash").isTextual() && n.has("config");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void checkFormat(Path marker) {
        int format;
        try {
            // a marker cut short by a crash still marks the folder; only a newer format is refused
            JsonNode n = ConfigLoader.MAPPER.readTree(Files.readString(marker, StandardCharsets.UTF_8));
            format = n == null ? FORMAT : n.path("format").asInt(FORMAT);
        } catch (IOException | RuntimeException e) {
            format = FORMAT;
        }
        if (format > FORMAT) {
            throw new ConfigException("output folder " + marker.getParent() + " holds a run in format " + format
                    + ", written by a newer exfacegan (this one reads format " + FORMAT + "); use that version or another output folder");
        }
    }

    static byte[] markerContent() {
        return ("{\"format\": " + FORMAT + ", \"what\": \"an exfacegan run folder\"}\n").getBytes(StandardCharsets.UTF_8);
    }
}
