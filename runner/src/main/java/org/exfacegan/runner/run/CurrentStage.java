package org.exfacegan.runner.run;

/**
 * The stage the running pipeline is in, for errors that carry no context of their own: an
 * {@link OutOfMemoryError} says nothing of what was being done when the heap ran out.
 */
public final class CurrentStage {
    private static volatile String name;

    private CurrentStage() {}

    static void enter(String stage) {
        name = stage;
    }

    static void leave() {
        name = null;
    }

    /** The stage running now (e.g. "samples"), or null outside a run. */
    public static String name() {
        return name;
    }
}
