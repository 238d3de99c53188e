package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.OwnedFolder;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;

/** A run's claim on its output folder ({@link OwnedFolder}): its marker, and how runs from before the marker look. */
final class FolderClaim {
    static final String WHAT = "exfacegan run";

    private FolderClaim() {}

    /** Classifies {@code root} or refuses it; reads only. */
    static OwnedFolder.Kind inspect(Path root) {
        return OwnedFolder.inspect(root, RunLayout.MARKER, WHAT, FolderClaim::isEarlierVersionRun);
    }

    static void mark(Path root) throws IOException {
        OwnedFolder.mark(root, RunLayout.MARKER, WHAT);
    }

    /** Runs made before the marker existed: the lock file and a run.json with a config hash. */
    private static boolean isEarlierVersionRun(Path root) {
        Path runJson = root.resolve(RunLayout.RUN_JSON);
        if (!Files.isRegularFile(root.resolve(RunLayout.LOCK), LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(runJson, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            RunRecord r = RunRecord.read(root);
            return r.configHash() != null && r.config() != null;
        } catch (ExfaceganException e) { // not a run.json of ours: the folder is not taken
            return false;
        }
    }
}
