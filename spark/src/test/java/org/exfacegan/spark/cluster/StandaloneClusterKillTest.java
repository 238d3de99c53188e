package org.exfacegan.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.spark.ship.Payload;
import org.exfacegan.spark.ship.Shipment;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.Attempt;
import org.exfacegan.spark.testing.ClusterRun;
import org.exfacegan.spark.testing.ToyJob;
import org.exfacegan.spark.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1 (a master and two workers, separate JVMs, one core and one
 * fake GPU each), the toy job submitted from this JVM as the driver with its plugins and models
 * shipped as an archive and checked on each executor. While a unit is half-written, the worker
 * running it is killed with its executor (SIGKILL, by process id): Spark retries the lost tasks on
 * the surviving worker and the files end identical to the single-machine run's. Every process is
 * gone at the end.
 */
class StandaloneClusterKillTest {
    private static final int UNITS = 16;
    private static final int IMAGES = 5;
    /** The unit whose first attempt waits, half-written, for its worker to be killed. */
    private static final int HELD = 5;
    private static final long SEED = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aWorkerKilledMidUnitIsRetriedOnTheOtherWorkerAndTheFilesAreTheSame() throws Exception {
        Path out = dir.resolve("out");
        Path attemptsDir = dir.resolve("attempts");
        ClusterRun.run(dir.resolve("cluster"), List.of(List.of("0"), List.of("1")), "cluster kill test", (cluster, timeline) -> {
            SparkConf conf = ClusterRun.conf(cluster, "exfacegan-cluster-kill-test")
                    .set("spark.executor.resource.gpu.amount", "1")
                    .set("spark.task.resource.gpu.amount", "1");
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                Waits.until("two executors to register", Duration.ofSeconds(180),
                        () -> sc.sc().statusTracker().getExecutorInfos().length == 3, cluster::logTails);
                timeline.lap("master, 2 workers and 2 executors up");
                Path jar = Files.write(dir.resolve("backbone.jar"), new byte[] {1, 2, 3, 4});
                Path model = Files.write(dir.resolve("model.onnx"), new byte[] {5, 6, 7});
                Shipment shipment = Payload.ship(sc, "payload",
                        new TreeMap<>(Map.of("plugins/backbone.jar", jar, "models/model.onnx", model)), dir.resolve("payload.zip"));
                ToyJob job = new ToyJob(new StoreLocation(out.toUri().toString(), Map.of(HadoopStore.ATOMIC_RENAME_KEY, "false")),
                        UNITS, IMAGES, SEED, UNITS, 150, attemptsDir.toString(), shipment, "cuda", HELD);
                CompletableFuture<Void> run = CompletableFuture.runAsync(() -> job.run(sc));

                AtomicReference<Attempt> victim = new AtomicReference<>();
                Waits.until("unit " + HELD + " half-written on an executor", Duration.ofSeconds(240), () -> {
                    if (run.isDone()) {
                        throw new AssertionError("the job ended before a worker was killed" + ToyJob.describe(Attempt.read(attemptsDir)));
                    }
                    // the held unit's first attempt stops after 2 of its images (ToyJob.holdUnit): it waits for the kill
                    boolean partial = ToyJob.partialUnits(out, UNITS).contains(HELD)
                            && out.resolve(String.format("images/%05d", HELD)).toFile().list().length == ToyJob.HOLD_AFTER;
                    Optional<Attempt> writing = Attempt.read(attemptsDir).stream()
                            .filter(a -> a.event().equals("start") && a.unit() == HELD && cluster.workerOf(a.pid()) >= 0)
                            .findFirst();
                    writing.ifPresent(victim::set);
                    return partial && writing.isPresent() && !ToyJob.markedUnits(out, UNITS).isEmpty();
                }, cluster::logTails);
                int killedWorker = cluster.workerOf(victim.get().pid());
                // the held attempt cannot move on, so this is the state the kill finds (after it, Spark's retry may finish it)
                boolean halfWrittenAtKill = ToyJob.partialUnits(out, UNITS).contains(victim.get().unit());
                List<ProcessHandle> killed = cluster.killWorker(killedWorker);
                timeline.lap("worker " + killedWorker + " killed with its executor (pid " + victim.get().pid() + ") while unit "
                        + victim.get().unit() + " was half-written; " + ToyJob.markedUnits(out, UNITS).size() + " of " + UNITS + " units marked");
                assertTrue(killed.stream().anyMatch(p -> p.pid() == victim.get().pid()), "the executor writing the unit was killed");
                assertTrue(halfWrittenAtKill, "the killed unit is left half-written, unmarked");

                run.get(300, TimeUnit.SECONDS);
                timeline.lap("job finished on the surviving worker");

                List<Attempt> attempts = Attempt.read(attemptsDir);
                String story = ToyJob.describe(attempts) + "\nkilled worker " + killedWorker + " with executor pid " + victim.get().pid();
                assertEquals(job.singleMachineFiles(dir.resolve("single")), Trees.of(out), "the single-machine run's files" + story);
                assertEquals(List.of(), Trees.hidden(out));
                List<Attempt> redone = attempts.stream()
                        .filter(a -> a.unit() == victim.get().unit() && a.event().equals("PUBLISHED")).toList();
                assertEquals(1, redone.size(), story);
                assertTrue(redone.get(0).attemptNumber() >= 1, "published by a retry" + story);
                assertEquals(1 - killedWorker, cluster.workerOf(redone.get(0).pid()), "on the surviving worker" + story);
                for (Attempt a : attempts) {
                    int worker = cluster.workerOf(a.pid());
                    if (worker >= 0) {
                        assertEquals("cuda:" + worker, a.device(), "each task bound to its executor's GPU" + story);
                    } else {
                        assertTrue(killed.stream().anyMatch(p -> p.pid() == a.pid()) && a.device().equals("cuda:" + killedWorker), story);
                    }
                }
            }
        });
    }
}
