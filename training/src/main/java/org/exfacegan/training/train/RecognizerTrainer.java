package org.exfacegan.training.train;

import java.nio.file.Path;
import org.exfacegan.runner.generalization.RecognizerTraining;
import org.exfacegan.runner.generalization.TrainedRecognizer;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.training.config.TrainingConfigLoader;

/** The trainer as {@code compare} reaches it ({@link RecognizerTraining}, found with ServiceLoader). */
public final class RecognizerTrainer implements RecognizerTraining {
    @Override
    public void check(Path config) {
        TrainingConfigLoader.load(config, false);
    }

    @Override
    public TrainedRecognizer train(Path config, Progress progress) {
        Trainer.Result r = new Trainer(TrainingConfigLoader.load(config), progress).run();
        return new TrainedRecognizer(r.output(), r.model(), r.output().resolve(Trainer.INITIAL),
                r.curve().stream().map(EpochRecord::evaluation).toList());
    }
}
