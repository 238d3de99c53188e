package org.exfacegan.spark.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: every wait in the Spark tests ends, with a message saying what never happened. */
public final class Waits {
    private Waits() {}

    public static void until(String what, Duration timeout, BooleanSupplier done, Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + context.get());
            }
            LocalCluster.sleep(50);
        }
    }
}
