package org.exfacegan.spark.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Consumer;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.OutputStore;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.StoreLocation;

/**
 * A run whose files go to an output store (any Hadoop file system URI), seen from its driver. The
 * runner's pipeline runs on a working folder of the driver, {@link #root}: opened, it holds what the
 * store published before (the driver's files, and every unit whose marker vouches for its files);
 * tasks publish their units to the store themselves, and the driver reads them back after each job
 * ({@link #readBack}); before each job and at the end the driver publishes its own files
 * ({@link #publishDriverFiles}). The store ends with the files of a plain run, plus its markers.
 */
final class StoreRun implements AutoCloseable {
    /** Claims a store location for a run (a local run folder's {@value RunLayout#MARKER}; store names cannot start with '.'). */
    static final String CLAIM = Publisher.MARKERS + "/exfacegan-run";

    private final StoreLocation location;
    private final OutputStore store;
    private final Publisher publisher;
    private final Path root;

    private StoreRun(StoreLocation location, OutputStore store, Path root) {
        this.location = location;
        this.store = store;
        this.publisher = new Publisher(store);
        this.root = root;
    }

    /**
     * Opens the run in the store at {@code location}, with {@code root} (a new folder) as the driver's
     * working folder. An empty or absent location is claimed; one holding anything but a run of ours
     * is refused, nothing deleted. With {@code restart}, the earlier run there is deleted.
     */
    static StoreRun open(StoreLocation location, Path root, boolean restart, Consumer<String> notices) {
        OutputStore store;
        try {
            store = location.open();
        } catch (ExfaceganException e) { // a URI without a scheme, one no file system serves
            throw new ConfigException("Spark setting " + SparkUnits.OUTPUT + ": " + e.getMessage(), e);
        }
        try {
            store.create();
            List<String> top = store.list("");
            boolean ours = store.exists(CLAIM);
            if (!top.isEmpty() && !ours) {
                throw new ConfigException("output store " + store.location() + " holds files (" + String.join(", ", top.subList(0,
                        Math.min(5, top.size()))) + (top.size() > 5 ? ", ..." : "") + ") but no run of exfacegan (no " + CLAIM
                        + "): nothing was written there; choose an empty location for the run");
            }
            store.removeTemporaries();
            if (restart && ours) {
                notices.accept("restart: deleting the earlier run in " + store.location());
                for (String name : top) {
                    if (!name.equals(Publisher.MARKERS)) {
                        store.delete(name);
                    }
                }
                for (String name : store.list(Publisher.MARKERS)) {
                    if (!(Publisher.MARKERS + "/" + name).equals(CLAIM)) {
                        store.delete(Publisher.MARKERS + "/" + name);
                    }
                }
            }
            if (!ours) {
                store.write(CLAIM, "a run of exfacegan: its files are published here (docs/spark.md)\n".getBytes(StandardCharsets.UTF_8));
            }
            RunFolder.open(root).close(); // the working folder is a run folder of ours, for the pipeline
            StoreRun run = new StoreRun(location, store, root);
            run.readPublished(notices);
            return run;
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    /** The driver's working folder, where the pipeline runs. */
    Path root() {
        return root;
    }

    StoreLocation location() {
        return location;
    }

    String describe() {
        return store.location();
    }

    /**
     * Fills the working folder with what the store published: the driver's files and every unit whose
     * files match its marker; a unit that does not (a file lost or changed since) loses its marker and
     * is written again, said in {@code notices}. Probe chunks are skipped once the probe set is joined.
     */
    private void readPublished(Consumer<String> notices) {
        DriverFiles.download(store, root);
        for (String parent : List.of(UnitFiles.PROBE_CHUNKS, UnitFiles.IDENTITIES)) {
            if (parent.equals(UnitFiles.PROBE_CHUNKS) && probeSetJoined()) {
                continue;
            }
            for (String unit : publisher.published(parent)) {
                SortedMap<String, byte[]> files = publisher.readBack(unit);
                if (files == null) {
                    notices.accept("repairing " + unit + " in " + store.location() + ": its files do not match its marker; writing it again");
                    publisher.unpublish(unit);
                } else {
                    UnitFiles.writeUnit(root, unit, files);
                }
            }
        }
    }

    /** Reads the units a job's tasks published into the working folder. */
    void readBack(UnitRunner.Kind kind, List<Integer> units) {
        for (int u : units) {
            String unit = UnitFiles.name(kind, u);
            SortedMap<String, byte[]> files = publisher.readBack(unit);
            if (files == null) {
                throw new ExfaceganException(unit + " is not published whole in " + store.location() + " although its task ended "
                        + "without an error: something else writes there; run again to resume");
            }
            UnitFiles.writeUnit(root, unit, files);
        }
    }

    /**
     * Publishes the driver's files as the working folder holds them now; once the probe set is
     * joined, the probe chunks go (as a local run deletes them), their markers first.
     */
    void publishDriverFiles() {
        publisher.replace(DriverFiles.of(root));
        if (probeSetJoined()) {
            store.delete(Publisher.MARKERS + "/" + UnitFiles.PROBE_CHUNKS);
            store.delete(RunLayout.PROBE_CHUNKS);
        }
    }

    private boolean probeSetJoined() {
        return Files.exists(root.resolve(RunLayout.PROBE_DONE));
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            try {
                RunFolder.deleteTree(root);
            } catch (IOException ignored) {
                // a temporary folder of the driver; the system clears it
            }
        }
    }
}
