package org.exfacegan.runner.generalization;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.verification.AccuracyFigures;

/**
 * A finished training, as a comparison reads it.
 *
 * @param output  its output folder (training.json, training.png, ...)
 * @param model   the trained TorchScript model
 * @param initial the untrained network it started from
 * @param curve   per epoch (0: untrained), the figures of every evaluation set by name: "holdout" (identities of
 *                its own data held out) and each benchmark
 */
public record TrainedRecognizer(Path output, Path model, Path initial, List<Map<String, AccuracyFigures>> curve) {
    /** The name of the held-out identities' figures in a curve (a benchmark may not take it). */
    public static final String HOLDOUT = "holdout";

    public TrainedRecognizer {
        curve = List.copyOf(curve);
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("a training curve starts with the untrained network");
        }
    }

    public Map<String, AccuracyFigures> untrained() {
        return curve.get(0);
    }

    public Map<String, AccuracyFigures> trained() {
        return curve.get(curve.size() - 1);
    }
}
