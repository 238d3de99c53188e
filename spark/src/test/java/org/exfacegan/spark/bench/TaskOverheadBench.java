package org.exfacegan.spark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.exfacegan.spark.testing.SparkTestConf;

/**
 * What a Spark task costs on local[2] against a plain pool of 2 threads doing the same work: an empty
 * task (the pure overhead) and a 100 ms task (the overhead at a size where work dominates). Rounds
 * alternate Spark and the pool so that load from other processes hits both alike; the median round
 * is reported. Informs how much work one identity task should hold (docs/spark.md).
 *
 * <p>{@code mvn -B -Pbench -pl spark -am -DskipTests verify} (with the other benchmarks: {@code mvn -B -Pbench -DskipTests verify}).
 */
public final class TaskOverheadBench {
    private static final int SLOTS = 2;
    private static final int ROUNDS = 5;

    private TaskOverheadBench() {}

    public static void main(String[] args) throws Exception {
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestConf.of("local[" + SLOTS + "]", "task-overhead-bench"));
             PoolRunner pool = new PoolRunner(SLOTS)) {
            sc.sc().setLogLevel("ERROR");
            System.out.printf("Spark %s, local[%d] vs a pool of %d threads; %d rounds, median; %d CPUs%n",
                    sc.version(), SLOTS, SLOTS, ROUNDS, Runtime.getRuntime().availableProcessors());
            measure(sc, pool, "empty task", 400, 0);
            measure(sc, pool, "1 task, empty (a job's fixed cost)", 1, 0);
            measure(sc, pool, "sleep(100 ms) task", 40, 100);
        }
    }

    private static void measure(JavaSparkContext sc, PoolRunner pool, String what, int tasks, long sleepMs) throws Exception {
        VoidFunction<Integer> work = i -> {
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
        };
        List<Integer> items = IntStream.range(0, tasks).boxed().toList();
        sc.parallelize(items, tasks).foreach(work); // warm-up
        pool.run(tasks, sleepMs);
        double[] spark = new double[ROUNDS];
        double[] plain = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            sc.parallelize(items, tasks).foreach(work);
            spark[r] = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            pool.run(tasks, sleepMs);
            plain[r] = (System.nanoTime() - t1) / 1e6;
        }
        double s = median(spark);
        double p = median(plain);
        // what one task adds to the time of the slot it runs in (a job's fixed cost included)
        double overheadPerTaskMs = (s - p) * Math.min(SLOTS, tasks) / tasks;
        System.out.printf(Locale.ROOT, "%-36s %4d tasks: Spark %9.1f ms, pool %8.1f ms, ratio %7.2fx; Spark's cost per task %.2f ms%n",
                what, tasks, s, p, s / p, overheadPerTaskMs);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** The baseline: the same tasks on a fixed pool of plain threads. */
    private static final class PoolRunner implements AutoCloseable {
        private final ExecutorService pool;

        PoolRunner(int threads) {
            pool = Executors.newFixedThreadPool(threads);
        }

        void run(int tasks, long sleepMs) throws Exception {
            List<Future<?>> all = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                all.add(pool.submit(() -> {
                    if (sleepMs > 0) {
                        Thread.sleep(sleepMs);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
