package org.exfacegan.spark.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.RunWorker;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.Publication;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.store.OutputStore;

/**
 * A task's writer for a run in an output store: the runner's {@link RunWorker} writes each unit into
 * a scratch run folder of the executor (holding the driver's files it needs: probe set, references,
 * boundaries), then the unit is published to the store ({@link Publisher}: files, then its marker)
 * and removed from the scratch folder.
 */
final class StoreWorker implements RunTask.Writer {
    private final OutputStore store;
    private final Publisher publisher;
    private final Path scratch;
    private final RunWorker worker;

    private StoreWorker(OutputStore store, Path scratch, RunWorker worker) {
        this.store = store;
        this.publisher = new Publisher(store);
        this.scratch = scratch;
        this.worker = worker;
    }

    /** @param config the run's config with the given folder as its output */
    static StoreWorker open(StoreLocation location, Function<Path, ResolvedConfig> config, PluginRegistry registry) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("exfacegan-task-");
        } catch (IOException e) {
            throw new ExfaceganException("cannot make the task's scratch folder: " + RunFolder.describe(e), e);
        }
        OutputStore store = null;
        try {
            store = location.open();
            RunFolder.open(scratch).close(); // a run folder of ours, for the worker
            DriverFiles.download(store, scratch);
            return new StoreWorker(store, scratch, RunWorker.open(config.apply(scratch), registry));
        } catch (RuntimeException | Error e) {
            if (store != null) {
                store.close();
            }
            deleteQuietly(scratch);
            throw e;
        }
    }

    @Override
    public void write(UnitRunner.Kind kind, int unit) {
        worker.write(kind, unit);
        Publication p = UnitFiles.collect(kind, unit, scratch);
        publisher.publish(p);
        UnitFiles.removeFrom(scratch, p);
    }

    @Override
    public void close() {
        try (OutputStore s = store) {
            worker.close();
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            RunFolder.deleteTree(dir);
        } catch (IOException ignored) {
            // a temporary folder of the executor; the system clears it
        }
    }
}
