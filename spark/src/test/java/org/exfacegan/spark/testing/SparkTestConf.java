package org.exfacegan.spark.testing;

import org.apache.spark.SparkConf;

/** A driver's configuration for tests: loopback only, no web UI, no progress bar. */
public final class SparkTestConf {
    private SparkTestConf() {}

    public static SparkConf of(String master, String app) {
        return new SparkConf().setMaster(master).setAppName(app)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
    }
}
