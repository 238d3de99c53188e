package org.exfacegan.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.io.OwnedFolder;

/** A run's claim on its output folder ({@link OwnedFolder}): its marker, and how runs from before the marker look. */
final class FolderClaim {
    static final String MARKER = ".exfacegan-run";
    static final String WHAT = "exfacegan run";

    private FolderClaim() {}

    /** Classifies {@code root} or refuses it; reads only. */
    static OwnedFolder.Kind inspect(Path root) {
        return OwnedFolder.inspect(root, MARKER, WHAT, FolderClaim::isEarlierVersionRun);
    }

    static void mark(Path root) throws IOException {
        OwnedFolder.mark(root, MARKER, WHAT);
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
}
