package org.exfacegan.training.train;

import java.util.List;

/**
 * What a checkpoint holds besides tensors. Every random draw is keyed by (seed, epoch, step or
 * sample), so the step count is the whole random state.
 *
 * @param configHash      SHA-256 of the config's result-relevant fields: a resume must match it
 * @param dataSummary     identities and images of the data: a resume must match it
 * @param step            optimiser steps done
 * @param epochLossSum    sum of the current epoch's step losses so far
 * @param epochCorrect    training images of the current epoch classified right so far
 * @param epochImages     training images of the current epoch so far
 * @param curve           one record per finished epoch (epoch 0: before training)
 */
public record TrainState(String configHash, String dataSummary, long step, double epochLossSum, long epochCorrect,
                         long epochImages, List<EpochRecord> curve) {}
