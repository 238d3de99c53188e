package org.exfacegan.runner.run;

import java.util.function.Consumer;

/**
 * How a run is started, beyond its config.
 *
 * @param restart   discard an earlier run in the output folder (after saying what is deleted) instead of resuming it
 * @param sizeCheck refuse a run whose estimated disk or memory need exceeds what this machine offers
 * @param notices   where the run says what it changed on its own: settings reused from the run's start,
 *                  files repaired, a restart's deletions (printed even when progress is quiet)
 */
public record RunOptions(boolean restart, boolean sizeCheck, Consumer<String> notices) {
    public static RunOptions defaults(Consumer<String> notices) {
        return new RunOptions(false, true, notices);
    }
}
