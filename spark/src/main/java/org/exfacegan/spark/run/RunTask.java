package org.exfacegan.spark.run;

import java.io.Serializable;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.RunWorker;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.gpu.GpuBinding;
import org.exfacegan.spark.ship.ProvenanceCheck;
import org.exfacegan.spark.ship.Shipment;
import org.exfacegan.spark.store.StoreLocation;

/**
 * What a task of a run carries to its executor: the shipment of plugins and models, the config
 * that names them, and the output store when the run goes to one. A task checks the shipment
 * ({@link ProvenanceCheck}) before anything else, takes its device from Spark's GPU assignment
 * ({@link GpuBinding}), and writes its units through a {@link RunWorker}: the runner's own stage
 * code, into the run folder every node shares, or into a scratch folder whose units are published
 * to the store ({@link StoreWorker}). Writers are kept per executor thread between tasks of the same
 * run (opening models is the expensive part) and closed by {@link #release}.
 *
 * @param run      this run's id (workers of another run are never reused)
 * @param shipment the driver's plugins and models
 * @param config   the shipped config ({@link ShippedRun#config})
 * @param store    the run's output store; null when tasks write into the config's output folder
 */
record RunTask(String run, Shipment shipment, String config, StoreLocation store) implements Serializable {
    private static final long serialVersionUID = 2L;
    /** Idle writers of this JVM, by run and device. */
    private static final Map<String, ConcurrentLinkedDeque<Writer>> IDLE = new ConcurrentHashMap<>();

    /** Writes units of a run on an executor. */
    interface Writer extends AutoCloseable {
        void write(UnitRunner.Kind kind, int unit);

        @Override
        void close();
    }

    /** Writes the units of one task (a block of them). */
    void write(UnitRunner.Kind kind, Iterator<Integer> units) {
        ProvenanceCheck.verify(shipment);
        String[] devices = ShippedRun.devices(config);
        for (int i = 0; i < devices.length; i++) {
            devices[i] = GpuBinding.forCurrentTask(devices[i]);
        }
        // a writer serves only this run, this config (its compute settings) and these devices; one of a
        // store run copied the driver's files when it opened, so it serves one stage
        String key = run + "@" + Integer.toHexString(config.hashCode()) + "@" + String.join(",", devices) + (store == null ? "" : "@" + kind);
        Writer writer = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).poll();
        if (writer == null) {
            writer = open(devices);
        }
        boolean healthy = false;
        try {
            while (units.hasNext()) {
                writer.write(kind, units.next());
            }
            healthy = true;
        } finally {
            if (healthy) {
                IDLE.get(key).push(writer);
            } else {
                writer.close(); // a failed writer is not trusted again
            }
        }
    }

    private Writer open(String[] devices) {
        PluginRegistry registry = PluginRegistry.load(shipment.folder().resolve(ShippedRun.PLUGINS));
        if (store != null) {
            return StoreWorker.open(store, output -> ShippedRun.load(config, shipment.folder(), devices, output, registry), registry);
        }
        RunWorker worker = RunWorker.open(ShippedRun.load(config, shipment.folder(), devices, null, registry), registry);
        return new Writer() {
            @Override
            public void write(UnitRunner.Kind kind, int unit) {
                worker.write(kind, unit);
            }

            @Override
            public void close() {
                worker.close();
            }
        };
    }

    /** Closes this JVM's idle writers of a run (on the driver after the run: those of local mode's executors). */
    static void release(String run) {
        IDLE.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(run + "@")) {
                return false;
            }
            for (Writer w; (w = e.getValue().poll()) != null; ) {
                w.close();
            }
            return true;
        });
    }
}
