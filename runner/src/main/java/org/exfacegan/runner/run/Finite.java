package org.exfacegan.runner.run;

import org.exfacegan.api.ExfaceganException;

/** Refuses NaN and infinite values: a model that produces them must fail loudly, not write garbage. */
final class Finite {
    private Finite() {}

    static void check(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ExfaceganException(what + " contains " + values[i] + " at index " + i
                        + " (the model produced a non-finite value)");
            }
        }
    }
}
