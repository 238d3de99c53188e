package org.exfacegan.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.run.DemoRun;
import org.exfacegan.spark.run.SparkUnits;
import org.exfacegan.spark.run.TaskCounter;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.ClusterRun;
import org.exfacegan.spark.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline on a standalone cluster of two worker JVMs with its output in a store given by
 * the application's settings alone ({@code spark.exfacegan.output}, a {@code file://} URI, and
 * {@code spark.hadoop.exfacegan.store.atomic-rename=false}: the object-store path), so every executor
 * opens the store from those settings. Worker 0 is killed with its executor once identities are
 * marked; the lost task runs again on the other worker, over whatever it left unmarked, and the store
 * ends with the plain run's files.
 */
class ClusterStoreRunTest {
    private static final int IDENTITIES = 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aStoreRunOnTwoExecutorJvmsSurvivesALostWorkerWithThePlainRunsFiles() throws Exception {
        Path plain = DemoRun.run(DemoRun.config(dir.resolve("plain"), IDENTITIES, 6), UnitRunner.IN_PROCESS);
        Path config = DemoRun.config(dir.resolve("spark"), IDENTITIES, 6);
        Path store = dir.resolve("store");
        Path markers = store.resolve(Publisher.MARKERS + "/identities");
        ClusterRun.run(dir.resolve("cluster"), List.of(List.of(), List.of()), "cluster store test", (cluster, timeline) -> {
            SparkConf conf = ClusterRun.conf(cluster, "exfacegan-cluster-store-test").set(SparkUnits.IDENTITIES_PER_TASK, "2")
                    .set(SparkUnits.OUTPUT, store.toUri().toString())
                    .set("spark.hadoop." + HadoopStore.ATOMIC_RENAME_KEY, "false");
            TaskCounter tasks = new TaskCounter();
            try (JavaSparkContext sc = new JavaSparkContext(conf); SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false)) {
                sc.sc().addSparkListener(tasks);
                Waits.until("two executors to register", Duration.ofSeconds(180),
                        () -> sc.sc().statusTracker().getExecutorInfos().length == 3, cluster::logTails);
                timeline.lap("master, 2 workers and 2 executors up");
                CompletableFuture<Void> run = CompletableFuture.runAsync(() -> DemoRun.runThrough(config, units, false));
                Waits.until("some identities marked", Duration.ofSeconds(300), () -> {
                    if (run.isDone()) {
                        run.join(); // its failure, if any
                        throw new AssertionError("the run ended before a worker was killed");
                    }
                    return Files.isDirectory(markers) && markers.toFile().list().length >= 2;
                }, cluster::logTails);
                int markedAtKill = markers.toFile().list().length;
                cluster.killWorker(0);
                timeline.lap("worker 0 killed with its executor; " + markedAtKill + " of " + IDENTITIES + " identities marked");
                assertTrue(markedAtKill < IDENTITIES);

                run.get(400, TimeUnit.SECONDS);
                timeline.lap("run finished on the surviving worker");
                assertEquals(DemoRun.filesAsStored(plain), DemoRun.storeFiles(store), "the plain run's files");
                assertEquals(IDENTITIES, markers.toFile().list().length);
                assertFalse(tasks.failures().isEmpty(), "the killed executor's task was lost and run again");
                assertEquals(List.of(), Trees.hidden(store), "temporaries left in the store");
                assertFalse(Files.exists(config.getParent().resolve("run")), "the config's output folder is not used");
            }
        });
    }
}
