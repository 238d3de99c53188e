package org.exfacegan.training.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress: on a terminal a bar (images, images/s, ETA) with the epoch's running loss and accuracy;
 * otherwise (a log file, CI) a plain line every {@code PLAIN_INTERVAL} and after every epoch;
 * with --quiet nothing.
 */
public interface TrainProgress extends AutoCloseable {
    Duration PLAIN_INTERVAL = Duration.ofSeconds(15);

    /** Called once before the first step: total steps, steps already done (resumed), images per step. */
    void start(long totalSteps, long doneSteps, int batchSize);

    /** After a step: its number (1-based, global), epoch (1-based), the epoch's running mean loss and accuracy. */
    void step(long step, int epoch, double meanLoss, double accuracy);

    /** A line of information (epoch summaries, resume notes). */
    void info(String line);

    @Override
    void close();

    TrainProgress QUIET = new TrainProgress() {
        @Override
        public void start(long totalSteps, long doneSteps, int batchSize) {}

        @Override
        public void step(long step, int epoch, double meanLoss, double accuracy) {}

        @Override
        public void info(String line) {}

        @Override
        public void close() {}
    };

    /** A bar when {@code terminal}, plain lines otherwise, on {@code err}. */
    static TrainProgress console(PrintStream err, boolean terminal) {
        return terminal ? new Bar(err) : new Plain(err);
    }

    /** The bar of the other commands (progressbar library), with loss and accuracy as its message. */
    final class Bar implements TrainProgress {
        private final PrintStream err;
        private ProgressBar bar;
        private int batch;

        Bar(PrintStream err) {
            this.err = err;
        }

        @Override
        public void start(long totalSteps, long doneSteps, int batchSize) {
            batch = batchSize;
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps * batchSize).setUnit(" images", 1)
                    .startsFrom(doneSteps * batchSize, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).showSpeed()
                    .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }

        @Override
        public void step(long step, int epoch, double meanLoss, double accuracy) {
            bar.stepTo(step * batch);
            bar.setExtraMessage(String.format(Locale.ROOT, "epoch %d loss %.3f acc %.3f", epoch, meanLoss, accuracy));
        }

        @Override
        public void info(String line) {
            if (bar != null) {
                bar.pause();
            }
            err.println(line);
            if (bar != null) {
                bar.resume();
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** One line every interval: step, epoch, loss, accuracy, images/s and the estimated time left. */
    final class Plain implements TrainProgress {
        private final PrintStream err;
        private long total;
        private long startStep;
        private int batch;
        private long startNanos;
        private long lastPrint;

        Plain(PrintStream err) {
            this.err = err;
        }

        @Override
        public void start(long totalSteps, long doneSteps, int batchSize) {
            total = totalSteps;
            startStep = doneSteps;
            batch = batchSize;
            startNanos = System.nanoTime();
            lastPrint = startNanos;
        }

        @Override
        public void step(long step, int epoch, double meanLoss, double accuracy) {
            long now = System.nanoTime();
            if (now - lastPrint < PLAIN_INTERVAL.toNanos() && step < total) {
                return;
            }
            lastPrint = now;
            double seconds = (now - startNanos) / 1e9;
            double stepsPerSecond = (step - startStep) / Math.max(seconds, 1e-9);
            long eta = stepsPerSecond > 0 ? Math.round((total - step) / stepsPerSecond) : -1;
            err.printf(Locale.ROOT, "train: step %d/%d (%.0f%%), epoch %d, loss %.3f, acc %.3f, %.1f images/s, ETA %s%n", step,
                    total, 100.0 * step / total, epoch, meanLoss, accuracy, stepsPerSecond * batch, clock(eta));
        }

        private static String clock(long seconds) {
            return seconds < 0 ? "?" : String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }

        @Override
        public void info(String line) {
            err.println(line);
        }

        @Override
        public void close() {}
    }
}
