package org.exfacegan.training.eval;

import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.runner.verification.BenchmarkSource;

/**
 * A benchmark file evaluated after every epoch: an insightface {@code .bin}, or a pairs list whose
 * images are aligned 112x112 crops (the training's network finds no faces). Read anew for every
 * evaluation, so only one benchmark is in memory at a time.
 */
public record BenchmarkSet(BenchmarkSource source) implements EvaluationSet {
    @Override
    public String name() {
        return source.name();
    }

    @Override
    public String description() {
        return source.name() + ": " + source.file();
    }

    @Override
    public Benchmark load() {
        return source.load(true);
    }
}
