package org.exfacegan.runner.run;

import java.util.function.Consumer;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.layout.RunRecord;

/**
 * Keeps a run's batch sizes and thread counts the same on every resume. They are no part of the
 * experiment (its config hash leaves them out), but a model runtime may round differently for
 * another batch: measured on the demo recogniser through ONNX Runtime on the CPU, a batch that
 * leaves a single-row remainder changes those rows' embeddings by up to 2.6e-6 (the thread count
 * changed nothing). So the values a run started with are recorded in run.json and reused when it
 * resumes, saying so when the config now asks for others.
 */
final class ComputeSettings {
    private ComputeSettings() {}

    /** {@code rc} with the batch sizes and threads {@code earlier} (the run.json of the run resumed) recorded. */
    static ResolvedConfig reuse(ResolvedConfig rc, RunRecord earlier, Consumer<String> notices) {
        return new ResolvedConfig(rc.file(), rc.config(), rc.output(),
                reuse("backbone", rc.backbone(), earlier.backbone(), notices),
                reuse("recognizer", rc.recognizer(), earlier.recognizer(), notices));
    }

    private static ResolvedComponent reuse(String role, ResolvedComponent c, RunRecord.Component earlier, Consumer<String> notices) {
        ModelOptions now = c.options();
        RunRecord.Compute was = earlier == null ? null : earlier.modelOptions();
        if (was == null) {
            return c; // a run from before these were recorded
        }
        int batch = was.batchSize();
        int threads = was.threads();
        String device = was.device() == null ? now.device() : was.device();
        if (batch != now.batchSize() || threads != now.threads()) {
            notices.accept("note: " + role + " batch_size " + now.batchSize() + ", threads " + now.threads()
                    + " in the config; this run started with batch_size " + batch + ", threads " + threads
                    + " and keeps them, so a resumed run writes the same files (a model runtime may round differently "
                    + "for another batch); use --restart or another output folder to change them");
        }
        if (!device.equals(now.device())) {
            notices.accept("warning: this run's " + role + " started on device " + device + " and now runs on " + now.device()
                    + ": what is computed from now on may differ in the last bits from an uninterrupted run on " + device);
        }
        ModelOptions kept = new ModelOptions(now.runtime(), now.device(), batch, threads);
        return new ResolvedComponent(c.provider(), c.model(), kept, c.settings());
    }
}
