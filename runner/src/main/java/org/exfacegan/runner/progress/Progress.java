package org.exfacegan.runner.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long stages on stderr: a bar with rate and ETA on a terminal, plain periodic lines
 * otherwise (a file or pipe keeps them readable), or nothing with --quiet.
 */
public interface Progress {
    /** A stage of {@code total} steps, of which {@code done} were finished by an earlier, interrupted run. */
    Stage stage(String name, long total, long done, String unit);

    /** A line of information (stage summaries). */
    void info(String line);

    interface Stage extends AutoCloseable {
        void step(long n);

        /** A short status shown with the count until replaced, e.g. a training's running loss. */
        default void message(String text) {}

        @Override
        void close();
    }

    Progress QUIET = new Progress() {
        @Override
        public Stage stage(String name, long total, long done, String unit) {
            return new Stage() {
                @Override
                public void step(long n) {}

                @Override
                public void close() {}
            };
        }

        @Override
        public void info(String line) {}
    };

    /** Seconds between two lines of {@link #lines}. */
    long LINE_INTERVAL_SECONDS = 10;

    /** Bars when {@code terminal}, else plain lines every {@value #LINE_INTERVAL_SECONDS} s. */
    static Progress forStream(PrintStream err, boolean terminal) {
        return terminal ? console(err) : lines(err);
    }

    /** Plain lines: one when a stage starts, then every {@value #LINE_INTERVAL_SECONDS} s, and one when it ends. */
    static Progress lines(PrintStream err) {
        return new LineProgress(err, LINE_INTERVAL_SECONDS * 1_000_000_000L, System::nanoTime);
    }

    /**
     * Whether stderr is a terminal. The launcher knows best (the JVM's stderr may be a pipe it filters):
     * it sets {@code exfacegan.stderr.terminal}; without it, Linux's /proc/self/fd/2 is asked, then
     * whether the JVM has a console at all.
     */
    static boolean stderrIsTerminal() {
        String said = System.getProperty("exfacegan.stderr.terminal");
        if (said != null) {
            return Boolean.parseBoolean(said);
        }
        try {
            return isTerminalDevice(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString());
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** A path of a terminal device: pseudo-terminals and consoles. */
    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }

    static Progress console(PrintStream err) {
        return new Progress() {
            /** Bars being drawn: a line printed meanwhile starts on a line of its own. */
            private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public Stage stage(String name, long total, long done, String unit) {
                ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setUnit(" " + unit, 1)
                        .startsFrom(done, java.time.Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
                open.incrementAndGet();
                return new Stage() {
                    private boolean closed;

                    @Override
                    public void step(long n) {
                        bar.stepBy(n);
                    }

                    @Override
                    public void message(String text) {
                        bar.setExtraMessage(text);
                    }

                    @Override
                    public void close() {
                        if (!closed) {
                            closed = true;
                            open.decrementAndGet();
                            bar.close();
                        }
                    }
                };
            }

            @Override
            public void info(String line) {
                err.println(open.get() > 0 ? System.lineSeparator() + line : line);
            }
        };
    }
}
