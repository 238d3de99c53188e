package org.exfacegan.runner.generalization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.verification.AccuracyFigures;
import org.exfacegan.runner.verification.BenchmarkSource;

/**
 * Trains one recogniser per dataset of a comparison (or resumes, or finds finished, each training)
 * and collects what each reaches on the benchmarks: the comparison's verdict on generalization.
 */
public final class Generalization {
    private Generalization() {}

    public static GeneralizationTable run(GeneralizationPlan plan, Progress progress) {
        List<GeneralizationTable.Row> rows = new ArrayList<>();
        Map<String, AccuracyFigures> untrained = null;
        for (GeneralizationPlan.Job job : plan.jobs()) {
            progress.info("training a recogniser on " + job.label() + ": " + job.config());
            TrainedRecognizer t = plan.trainer().train(job.config(), progress);
            for (BenchmarkSource b : plan.benchmarks()) {
                if (!t.trained().containsKey(b.name())) {
                    throw new ExfaceganException("training " + t.output() + " holds no figures for benchmark " + b.name()
                            + "; its config " + job.config() + " was changed by hand: delete " + t.output() + " to train again");
                }
            }
            if (untrained == null) {
                untrained = t.untrained(); // the same network from the same seed for every dataset
            }
            rows.add(new GeneralizationTable.Row(job.label(), t.trained(), t.curve(), t.output()));
        }
        List<String> names = plan.benchmarks().stream().map(BenchmarkSource::name).toList();
        return new GeneralizationTable(names, untrained, rows);
    }
}
