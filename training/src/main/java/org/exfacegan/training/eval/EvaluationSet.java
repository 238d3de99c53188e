package org.exfacegan.training.eval;

import org.exfacegan.runner.verification.Benchmark;

/**
 * One set of verification pairs evaluated after every epoch: the held-out identities of the
 * training data, or a benchmark file. Read when evaluated (a benchmark's images are held only
 * while it is scored).
 */
public interface EvaluationSet {
    /** Its name in the curve, the progress lines and the chart ("holdout", or the benchmark's name). */
    String name();

    /** What it is, for the record, e.g. "lfw: /data/lfw.bin (6000 pairs)". */
    String description();

    Benchmark load();
}
