package org.exfacegan.runner.generalization;

import java.nio.file.Path;
import org.exfacegan.runner.progress.Progress;

/**
 * Trains a face recogniser from a training config file, for {@code compare}: the training module
 * implements it (found with {@link java.util.ServiceLoader},
 * {@code META-INF/services/org.exfacegan.runner.generalization.RecognizerTraining}), so that the
 * runner needs no dependency on it. Host-internal: not part of the plugin API.
 */
public interface RecognizerTraining {
    /**
     * Checks a training config completely, except that its data may not exist yet (compare writes
     * the config before the run that makes the data).
     *
     * @throws org.exfacegan.runner.config.ConfigException naming the file and the field
     */
    void check(Path config);

    /** Trains, resumes, or finds finished the training of {@code config}; its data must exist now. */
    TrainedRecognizer train(Path config, Progress progress);
}
