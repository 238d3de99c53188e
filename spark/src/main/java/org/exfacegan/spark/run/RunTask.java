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

/**
 * What a task of a run carries to its executor: the shipment of plugins and models and the config
 * that names them. A task checks the shipment ({@link ProvenanceCheck}) before anything else, takes
 * its device from Spark's GPU assignment ({@link GpuBinding}), and writes its units through a
 * {@link RunWorker}: the runner's own stage code. Workers are kept per executor thread between tasks
 * of the same run (opening models is the expensive part) and closed by {@link #release}.
 *
 * @param run      this run's id (workers of another run are never reused)
 * @param shipment the driver's plugins and models
 * @param config   the shipped config ({@link ShippedRun#config})
 */
record RunTask(String run, Shipment shipment, String config) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Idle workers of this JVM, by run and device. */
    private static final Map<String, ConcurrentLinkedDeque<RunWorker>> IDLE = new ConcurrentHashMap<>();

    /** Writes the units of one task (a block of them). */
    void write(UnitRunner.Kind kind, Iterator<Integer> units) {
        ProvenanceCheck.verify(shipment);
        String[] devices = ShippedRun.devices(config);
        for (int i = 0; i < devices.length; i++) {
            devices[i] = GpuBinding.forCurrentTask(devices[i]);
        }
        // a worker serves only this run, this config (its compute settings) and these devices
        String key = run + "@" + Integer.toHexString(config.hashCode()) + "@" + String.join(",", devices);
        RunWorker worker = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).poll();
        if (worker == null) {
            PluginRegistry registry = PluginRegistry.load(shipment.folder().resolve(ShippedRun.PLUGINS));
            ResolvedConfig rc = ShippedRun.load(config, shipment.folder(), devices, registry);
            worker = RunWorker.open(rc, registry);
        }
        boolean healthy = false;
        try {
            while (units.hasNext()) {
                int u = units.next();
                switch (kind) {
                    case PROBE_CHUNK -> worker.writeProbeChunk(u);
                    case IDENTITY -> worker.writeIdentity(u);
                }
            }
            healthy = true;
        } finally {
            if (healthy) {
                IDLE.get(key).push(worker);
            } else {
                worker.close(); // a failed worker is not trusted again
            }
        }
    }

    /** Closes this JVM's idle workers of a run (on the driver after the run: those of local mode's executors). */
    static void release(String run) {
        IDLE.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(run + "@")) {
                return false;
            }
            for (RunWorker w; (w = e.getValue().poll()) != null; ) {
                w.close();
            }
            return true;
        });
    }
}
