package org.exfacegan.spark;

import org.exfacegan.api.ExfaceganException;

/**
 * Turns a failed Spark job back into the user's error. A task's {@link ExfaceganException} (a
 * provenance mismatch, a bad model output) reaches the driver wrapped in Spark's "Job aborted due to
 * stage failure: ... failed 4 times, most recent failure: ..." with the executor's stack trace; the
 * user should see our message, naming what is at fault, and no stack trace.
 */
public final class JobFailure {
    private static final String PREFIX = ExfaceganException.class.getName() + ": ";

    private JobFailure() {}

    /** Our exception from a task, when that is what failed the job; else null. */
    public static ExfaceganException userError(Throwable jobFailure) {
        for (Throwable t = jobFailure; t != null; t = t.getCause()) {
            if (t instanceof ExfaceganException e) {
                return e;
            }
        }
        // the task's exception may arrive only as text (a class the driver cannot deserialize)
        String m = jobFailure.getMessage();
        int at = m == null ? -1 : m.indexOf(PREFIX);
        if (at < 0) {
            return null;
        }
        String message = m.substring(at + PREFIX.length());
        int end = message.indexOf('\n');
        return new ExfaceganException(end < 0 ? message : message.substring(0, end), jobFailure);
    }
}
