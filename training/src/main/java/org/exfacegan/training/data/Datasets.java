package org.exfacegan.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.run.Pipeline;

/** Opens training data by what the path is: a run folder, a folder of identity folders, or a RecordIO file. */
public final class Datasets {
    private Datasets() {}

    /**
     * A {@code .rec} file is RecordIO (its {@code .idx} beside it); a folder with {@code run.json} is an
     * exfacegan run, which must be complete, read from its {@code images/}; any other folder holds one
     * folder per identity.
     */
    public static FaceDataset open(Path path) {
        if (Files.isRegularFile(path)) {
            if (!path.getFileName().toString().endsWith(".rec")) {
                throw new ExfaceganException("training data " + path + " is a file but not a RecordIO .rec file; give a run "
                        + "folder, a folder of identity folders, or a train.rec");
            }
            return RecordIoDataset.open(path);
        }
        if (!Files.isDirectory(path)) {
            throw new ExfaceganException("training data not found: " + path);
        }
        Path runJson = path.resolve(Pipeline.RUN_JSON);
        if (Files.isRegularFile(runJson)) {
            String status;
            try {
                JsonNode run = ConfigLoader.MAPPER.readTree(Files.readString(runJson));
                status = run.path("status").asText("?");
            } catch (IOException e) {
                throw new ExfaceganException("cannot read " + runJson + ": " + e.getMessage(), e);
            }
            if (!status.equals("complete")) {
                throw new ExfaceganException("run folder " + path + " is not finished (run.json status \"" + status
                        + "\"); finish it with `exfacegan run` on its config first");
            }
            return ImageFolderDataset.open("run folder", path.resolve("images"));
        }
        return ImageFolderDataset.open("image folders", path);
    }
}
