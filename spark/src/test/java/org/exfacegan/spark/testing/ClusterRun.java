package org.exfacegan.spark.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;

/**
 * A test body on a fresh {@link LocalCluster}: a failure carries the cluster's logs, the cluster is
 * stopped whatever happens and no process of it may be left, and the steps are printed on a timeline.
 */
public final class ClusterRun {
    private ClusterRun() {}

    public interface Body {
        void run(LocalCluster cluster, Timeline timeline) throws Exception;
    }

    /** Prints "[LABEL] seconds since start  what". */
    public record Timeline(String label, long t0) {
        public void lap(String what) {
            System.out.printf(Locale.ROOT, "[%s] %6.1f s  %s%n", label, (System.nanoTime() - t0) / 1e9, what);
        }
    }

    /** @param workerGpus per worker, the GPU addresses its fake discovery script reports (empty: none) */
    public static void run(Path dir, List<List<String>> workerGpus, String label, Body body) {
        Timeline timeline = new Timeline(label, System.nanoTime());
        LocalCluster cluster = LocalCluster.start(dir, workerGpus);
        try {
            body.run(cluster, timeline);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n--- cluster logs:" + cluster.logTails(), e);
        } finally {
            cluster.close();
        }
        List<ProcessHandle> left = cluster.alive();
        if (!left.isEmpty()) {
            throw new AssertionError("processes of the cluster are left: " + left);
        }
        timeline.lap("cluster stopped, no process left");
    }

    /** A driver for the cluster: one executor of one core per worker, the test's classes on the executors' class path. */
    public static SparkConf conf(LocalCluster cluster, String app) {
        return SparkTestConf.of(cluster.masterUrl(), app)
                .set("spark.executor.memory", "512m")
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", "2")
                .set("spark.executor.extraClassPath", LocalCluster.classFolders())
                .set("spark.executor.extraJavaOptions", ChildJvm.SLF4J_PROVIDER);
    }
}
