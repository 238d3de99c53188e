package org.exfacegan.runner.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress for logs (stderr not a terminal: a file, a pipe, a CI job): whole lines, one when a stage
 * starts, then at most one per interval with count, rate and ETA, and one when it ends. No carriage
 * returns or redrawn bars, which a log would keep as garbage.
 */
final class LineProgress implements Progress {
    private final PrintStream out;
    private final long intervalNanos;
    private final LongSupplier clock;

    /** @param clock nanoseconds, as System::nanoTime (tests pass their own) */
    LineProgress(PrintStream out, long intervalNanos, LongSupplier clock) {
        this.out = out;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    @Override
    public Stage stage(String name, long total, long done, String unit) {
        long start = clock.getAsLong();
        out.println(String.format(Locale.ROOT, "%s: %d/%d %s%s", name, done, total, unit, done > 0 ? " (resumed)" : ""));
        return new Stage() {
            private long count = done;
            private long lastLine = start;
            private boolean closed;
            private String message;

            @Override
            public void message(String text) {
                message = text;
            }

            @Override
            public void step(long n) {
                count += n;
                long now = clock.getAsLong();
                if (now - lastLine >= intervalNanos && count < total) {
                    lastLine = now;
                    out.println(line(now, false));
                }
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    out.println(line(clock.getAsLong(), true));
                }
            }

            /** "name: count/total unit (pct%), rate unit/s, ETA h:mm:ss" (or "took" at the end), then "; message". */
            private String line(long now, boolean end) {
                double seconds = (now - start) / 1e9;
                long thisSession = count - done;
                double rate = seconds > 0 ? thisSession / seconds : Double.NaN;
                String pct = total > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100.0 * count / total) : "";
                String speed = Double.isNaN(rate) ? "" : String.format(Locale.ROOT, ", %.1f %s/s", rate, unit);
                String when;
                if (end) {
                    when = (count < total ? ", stopped after " : ", took ") + clockTime(seconds);
                } else {
                    when = rate > 0 ? ", ETA " + clockTime((total - count) / rate) : "";
                }
                return String.format(Locale.ROOT, "%s: %d/%d %s%s%s%s%s", name, count, total, unit, pct, speed, when,
                        message == null ? "" : "; " + message);
            }
        };
    }

    @Override
    public void info(String line) {
        out.println(line);
    }

    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
