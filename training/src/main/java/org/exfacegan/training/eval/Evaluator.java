package org.exfacegan.training.eval;

import java.util.Map;

/**
 * What the training measures after every epoch (and once before the first step, for the untrained
 * network). The training only records the figures; {@link HeldOutPairs} is the built-in one. A
 * benchmark-backed evaluator (insightface's verification protocol on .bin files) plugs in here.
 */
public interface Evaluator {
    /** What it measures on, for the record, e.g. "40 held-out identities, 2000 pairs". */
    String description();

    /** Figures for the network as it is now, by stable name (e.g. "holdout_accuracy"). */
    Map<String, Double> evaluate(Embedder network);
}
