package org.exfacegan.runner.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress of long stages: a bar with rate and ETA on stderr, or nothing with --quiet. */
public interface Progress {
    /** A stage of {@code total} steps, of which {@code done} were finished by an earlier, interrupted run. */
    Stage stage(String name, long total, long done, String unit);

    /** A line of information (stage summaries). */
    void info(String line);

    interface Stage extends AutoCloseable {
        void step(long n);

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

    static Progress console(PrintStream err) {
        return new Progress() {
            @Override
            public Stage stage(String name, long total, long done, String unit) {
                ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setUnit(" " + unit, 1)
                        .startsFrom(done, java.time.Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
                return new Stage() {
                    @Override
                    public void step(long n) {
                        bar.stepBy(n);
                    }

                    @Override
                    public void close() {
                        bar.close();
                    }
                };
            }

            @Override
            public void info(String line) {
                err.println(line);
            }
        };
    }
}
