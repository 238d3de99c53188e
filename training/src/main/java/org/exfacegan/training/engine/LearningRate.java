package org.exfacegan.training.engine;

import java.util.List;

/**
 * The learning rate at a step: a linear warm-up from 0 over the first {@code warmupEpochs}, then
 * either steps (times gamma at each milestone epoch) or a cosine decay to 0 at the last step.
 */
public record LearningRate(double base, String type, double warmupEpochs, List<Integer> milestones, double gamma,
                           int stepsPerEpoch, int epochs) {

    public double at(long step) {
        double warmupSteps = warmupEpochs * stepsPerEpoch;
        if (step < warmupSteps) {
            return base * (step + 1) / warmupSteps;
        }
        if (type.equals("cosine")) {
            double total = (double) epochs * stepsPerEpoch;
            double t = (step - warmupSteps) / Math.max(1, total - warmupSteps);
            return base * 0.5 * (1 + Math.cos(Math.PI * t));
        }
        long epoch = step / stepsPerEpoch;
        double lr = base;
        for (int milestone : milestones) {
            if (epoch >= milestone) {
                lr *= gamma;
            }
        }
        return lr;
    }
}
