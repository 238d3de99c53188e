package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.exfacegan.runner.run.CurrentStage;

/** An out-of-memory failure told as what it means for the user: which stage, how much heap, how to give more. */
final class OutOfMemory {
    private OutOfMemory() {}

    /** Whether {@code e} or one of its causes is an OutOfMemoryError. */
    static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** Prints the message (no stack trace: it is not a bug) and returns the run-failure exit code. */
    static int report(PrintWriter err) {
        String stage = CurrentStage.name();
        double gib = Runtime.getRuntime().maxMemory() / (double) (1L << 30);
        long more = Math.max(2, (long) Math.ceil(gib * 2));
        err.printf(Locale.ROOT, "error: out of memory%s: this JVM may use at most %.1f GiB of heap. Give it more, e.g. "
                        + "EXFACEGAN_JAVA_OPTS=-Xmx%dg ./exfacegan ... (or java -Xmx%dg -jar ...), or lower batch_size or the "
                        + "sizes in the config; a run resumes where it stopped, with the same results%n",
                stage == null ? "" : " in the " + stage + " stage", gib, more, more);
        err.flush();
        return Cli.RUN_FAILURE;
    }
}
