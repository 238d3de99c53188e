package org.exfacegan.spark.testing;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.spark.gpu.GpuBinding;
import org.exfacegan.spark.ship.ProvenanceCheck;
import org.exfacegan.spark.ship.Shipment;
import org.exfacegan.spark.store.InterceptedStore;
import org.exfacegan.spark.store.LocalStore;
import org.exfacegan.spark.store.OutputStore;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.store.ToyIdentity;
import org.exfacegan.spark.store.Trees;

/**
 * A stand-in for the identity stage: one unit per identity, published through the store by Spark
 * tasks, each slowed per write so a kill lands in the middle of a unit. The driver cleans the
 * store's temporaries first and tasks skip units already marked: resume as the pipeline will do it.
 *
 * @param shipment checked on every executor before its first unit (null: none)
 * @param device   the config's device ("cpu", or "cuda" to take the task's GPU)
 * @param holdUnit a unit whose first attempt stops for good before its write number {@link #HOLD_AFTER},
 *                 so a test can kill its executor while it is certainly half-written (-1: none)
 */
public record ToyJob(StoreLocation store, int units, int imagesPerUnit, long seed, int partitions, long millisPerWrite,
                     String attemptsDir, Shipment shipment, String device, int holdUnit) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Writes the held attempt makes before it stops: 2 of the unit's images. */
    public static final int HOLD_AFTER = 2;

    public ToyJob(StoreLocation store, int units, int imagesPerUnit, long seed, int partitions, long millisPerWrite,
                  String attemptsDir, Shipment shipment, String device) {
        this(store, units, imagesPerUnit, seed, partitions, millisPerWrite, attemptsDir, shipment, device, -1);
    }

    public void run(JavaSparkContext sc) {
        try (OutputStore s = store.open()) {
            s.create();
            s.removeTemporaries();
        }
        ToyJob job = this;
        sc.parallelize(IntStream.range(0, units).boxed().toList(), partitions).foreachPartition(job::runTask);
    }

    private void runTask(Iterator<Integer> indices) {
        if (shipment != null) {
            ProvenanceCheck.verify(shipment);
        }
        TaskContext task = TaskContext.get();
        String gpu = GpuBinding.forCurrentTask(device);
        Path attempts = Path.of(attemptsDir);
        long pid = ProcessHandle.current().pid();
        String executor = SparkEnv.get().executorId();
        try (OutputStore s = InterceptedStore.slowed(store.open(), millisPerWrite)) {
            Publisher publisher = new Publisher(s);
            while (indices.hasNext()) {
                int u = indices.next();
                if (publisher.isPublished(ToyIdentity.unit(u))) {
                    new Attempt(u, task.attemptNumber(), pid, executor, gpu, "skipped").record(attempts);
                    continue;
                }
                new Attempt(u, task.attemptNumber(), pid, executor, gpu, "start").record(attempts);
                Publisher unitPublisher = u == holdUnit && task.attemptNumber() == 0 ? new Publisher(held(s)) : publisher;
                Publisher.Outcome outcome = unitPublisher.publish(ToyIdentity.of(u, imagesPerUnit, seed));
                new Attempt(u, task.attemptNumber(), pid, executor, gpu, outcome.name()).record(attempts);
            }
        }
    }

    /** {@code s}, stopping for good before its change {@link #HOLD_AFTER}: only a kill ends the attempt. */
    private static OutputStore held(OutputStore s) {
        return new InterceptedStore(s, change -> {
            while (change >= HOLD_AFTER) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while held for a kill", e);
                }
            }
        });
    }

    /** The same units published one after the other by a plain local store: the single-machine result. */
    public Map<String, String> singleMachineFiles(Path dir) {
        try (LocalStore s = new LocalStore(dir)) {
            s.create();
            Publisher p = new Publisher(s);
            for (int u = 0; u < units; u++) {
                p.publish(ToyIdentity.of(u, imagesPerUnit, seed));
            }
        }
        return Trees.of(dir);
    }

    /** Units with files in the store but no marker: what a killed attempt left (object-store mode writes in place). */
    public static List<Integer> partialUnits(Path root, int units) {
        return IntStream.range(0, units).filter(u -> {
            String name = String.format("%05d", u);
            return !Files.exists(root.resolve(Publisher.markerPath(ToyIdentity.unit(u))))
                    && Files.isDirectory(root.resolve("images/" + name)) && root.resolve("images/" + name).toFile().list().length > 0;
        }).boxed().toList();
    }

    public static List<Integer> markedUnits(Path root, int units) {
        return IntStream.range(0, units).filter(u -> Files.exists(root.resolve(Publisher.markerPath(ToyIdentity.unit(u)))))
                .boxed().toList();
    }

    /** For a message: what the attempts did, unit by unit. */
    public static String describe(List<Attempt> attempts) {
        Map<Integer, StringBuilder> byUnit = new TreeMap<>();
        for (Attempt a : attempts) {
            byUnit.computeIfAbsent(a.unit(), u -> new StringBuilder()).append(" a").append(a.attemptNumber()).append('@')
                    .append(a.pid()).append('/').append(a.device()).append(':').append(a.event());
        }
        StringBuilder b = new StringBuilder();
        byUnit.forEach((u, s) -> b.append("\n  unit ").append(u).append(':').append(s));
        return b.toString();
    }
}
