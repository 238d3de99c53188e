package org.exfacegan.spark.testing;

import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.StoreLocation;

/**
 * A driver in its own JVM, so a test can kill it: runs the toy job on {@code local[2]} into an
 * object store-like location (files written in place, then markers).
 *
 * <p>Arguments: store URI, attempts folder, units, images per unit, seed, partitions, milliseconds per write.
 */
public final class ToyJobMain {
    private ToyJobMain() {}

    public static void main(String[] a) {
        ToyJob job = new ToyJob(new StoreLocation(a[0], Map.of(HadoopStore.ATOMIC_RENAME_KEY, "false")), Integer.parseInt(a[2]),
                Integer.parseInt(a[3]), Long.parseLong(a[4]), Integer.parseInt(a[5]), Long.parseLong(a[6]), a[1], null, "cpu");
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestConf.of("local[2]", "toy-driver"))) {
            job.run(sc);
        }
    }
}
