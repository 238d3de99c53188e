package org.exfacegan.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.run.DemoRun;
import org.exfacegan.spark.run.SparkUnits;
import org.exfacegan.spark.run.TaskCounter;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.Publisher;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.ClusterRun;
import org.exfacegan.spark.testing.LocalCluster;
import org.exfacegan.spark.testing.Waits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pipeline (demo world, reduced) on a real standalone cluster on 127.0.0.1 (a master and two
 * workers, separate JVMs, one core each), plugins and models shipped as an archive and checked on each
 * executor. While both executors write identities, worker 0 is killed with its executor (SIGKILL):
 * Spark runs the lost tasks again on the surviving worker and the run's files are those of the plain
 * runner. Every process is gone at the end. The same with the output in a store given by the
 * application's settings alone ({@code spark.exfacegan.output}, a {@code file://} URI, and
 * {@code spark.hadoop.exfacegan.store.atomic-rename=false}: the object-store path), so every executor
 * opens the store from those settings; the lost task runs again over whatever it left unmarked.
 */
class ClusterPipelineKillTest {
    private static final int IDENTITIES = 20;

    @TempDir
    Path dir;

    private Path plain;
    private Path config;

    @BeforeEach
    void plainRunAndConfig() throws Exception {
        plain = DemoRun.run(DemoRun.config(dir.resolve("plain"), IDENTITIES, 6), UnitRunner.IN_PROCESS);
        config = DemoRun.config(dir.resolve("spark"), IDENTITIES, 6);
    }

    @Test
    @Timeout(600)
    void aWorkerKilledWhileIdentitiesRunLeavesTheFilesOfThePlainRun() throws Exception {
        Path out = config.getParent().resolve("run");
        ClusterRun.run(dir.resolve("cluster"), List.of(List.of(), List.of()), "pipeline kill test", (cluster, timeline) -> {
            SparkConf conf = ClusterRun.conf(cluster, "exfacegan-pipeline-kill-test").set(SparkUnits.IDENTITIES_PER_TASK, "2");
            TaskCounter tasks = new TaskCounter();
            try (JavaSparkContext sc = new JavaSparkContext(conf); SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false)) {
                awaitExecutors(sc, tasks, cluster, timeline);
                CompletableFuture<Path> run = CompletableFuture.supplyAsync(() -> DemoRun.run(config, units));
                Waits.until("both executors writing identities, some published", Duration.ofSeconds(300), () -> {
                    if (run.isDone()) {
                        throw new AssertionError("the run ended before a worker was killed");
                    }
                    boolean bothBusy = Arrays.stream(sc.sc().statusTracker().getExecutorInfos())
                            .filter(e -> e.port() != sc.sc().env().blockManager().blockManagerId().port())
                            .mapToInt(SparkExecutorInfo::numRunningTasks).filter(n -> n > 0).count() == 2;
                    return bothBusy && Files.isDirectory(out.resolve(RunLayout.IMAGES))
                            && out.resolve(RunLayout.IMAGES).toFile().list().length >= 2;
                }, cluster::logTails);
                int publishedAtKill = out.resolve(RunLayout.IMAGES).toFile().list().length;
                List<ProcessHandle> killed = cluster.killWorker(0);
                timeline.lap("worker 0 killed with its executor while identities ran; " + publishedAtKill + " of " + IDENTITIES + " published");
                assertTrue(killed.size() >= 2, "the worker and its executor: " + killed);
                assertTrue(publishedAtKill < IDENTITIES);

                run.get(400, TimeUnit.SECONDS);
                timeline.lap("run finished on the surviving worker");
                assertEquals(DemoRun.files(plain), DemoRun.files(out), "the plain run's files");
                assertFalse(tasks.failures().isEmpty(), "the killed executor's task was lost and run again");
                assertFalse(Files.exists(out.resolve(RunLayout.TEMPORARIES)), "no temporaries left");
            }
        });
    }

    @Test
    @Timeout(600)
    void aStoreRunOnTwoExecutorJvmsSurvivesALostWorkerWithThePlainRunsFiles() throws Exception {
        Path store = dir.resolve("store");
        Path markers = store.resolve(Publisher.MARKERS + "/identities");
        ClusterRun.run(dir.resolve("cluster"), List.of(List.of(), List.of()), "cluster store test", (cluster, timeline) -> {
            SparkConf conf = ClusterRun.conf(cluster, "exfacegan-cluster-store-test").set(SparkUnits.IDENTITIES_PER_TASK, "2")
                    .set(SparkUnits.OUTPUT, store.toUri().toString())
                    .set("spark.hadoop." + HadoopStore.ATOMIC_RENAME_KEY, "false");
            TaskCounter tasks = new TaskCounter();
            try (JavaSparkContext sc = new JavaSparkContext(conf); SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false)) {
                awaitExecutors(sc, tasks, cluster, timeline);
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

    /** Counts the driver's tasks and waits for the executors of both workers. */
    private static void awaitExecutors(JavaSparkContext sc, TaskCounter tasks, LocalCluster cluster, ClusterRun.Timeline timeline) {
        sc.sc().addSparkListener(tasks);
        Waits.until("two executors to register", Duration.ofSeconds(180),
                () -> sc.sc().statusTracker().getExecutorInfos().length == 3, cluster::logTails);
        timeline.lap("master, 2 workers and 2 executors up");
    }
}
