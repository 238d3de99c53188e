package org.exfacegan.spark.run;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.ScaleOut;

/** The runner's {@code --spark MASTER}: a Spark driver in this process (settings from {@code spark.*} system properties, as spark-submit sets them). */
public final class SparkScaleOut implements ScaleOut {
    @Override
    public Session start(String master, PluginRegistry registry) {
        SparkConf conf = new SparkConf().setMaster(master).setIfMissing("spark.app.name", "exfacegan run")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        return new SparkUnits(JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf)), registry, true);
    }
}
