package org.exfacegan.training.train;

import java.util.Map;
import org.exfacegan.runner.verification.AccuracyFigures;

/**
 * One point of the training curve: after epoch {@code epoch} (0: the untrained network, before the
 * first step).
 *
 * @param epoch           epochs done
 * @param step            optimiser steps done
 * @param lr              learning rate of the epoch's last step (null for epoch 0)
 * @param loss            mean training loss over the epoch (null for epoch 0)
 * @param trainAccuracy   fraction of the epoch's training images whose nearest class (margin-free) was right
 * @param evaluation      per evaluation set (held-out identities "holdout", then each benchmark by name), its
 *                        verification figures; empty when nothing is evaluated
 * @param imagesPerSecond training images per second over the epoch (wall clock, this process)
 */
public record EpochRecord(int epoch, long step, Double lr, Double loss, Double trainAccuracy, Map<String, AccuracyFigures> evaluation,
                          Double imagesPerSecond) {}
