package org.exfacegan.runner.pipeline;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Parallel loops whose failure is deterministic: the error of the lowest failing index is thrown. */
public final class Parallel {
    private Parallel() {}

    public static void forEach(int n, IntConsumer body) {
        AtomicReferenceArray<RuntimeException> errors = new AtomicReferenceArray<>(n);
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                body.accept(i);
            } catch (RuntimeException e) {
                errors.set(i, e);
            }
        });
        for (int i = 0; i < n; i++) {
            if (errors.get(i) != null) {
                throw errors.get(i);
            }
        }
    }
}
