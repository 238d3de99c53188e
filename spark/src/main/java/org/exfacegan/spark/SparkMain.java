package org.exfacegan.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.exfacegan.runner.cli.Cli;

/**
 * The main class for {@code spark-submit}: {@code exfacegan run} with its arguments, on the master
 * spark-submit chose (README, 'Running on a cluster'). Exit codes are the runner's.
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        String master = new SparkConf().get("spark.master", null);
        if (master == null) {
            err.println("error: no Spark master: start this class with spark-submit --master URL (or run ./exfacegan run CONFIG --spark local[N])");
            return Cli.BAD_INPUT;
        }
        List<String> cli = new ArrayList<>(List.of("run"));
        cli.addAll(List.of(args));
        cli.add("--spark");
        cli.add(master);
        return Cli.execute(new PrintWriter(System.out, true), err, cli.toArray(String[]::new));
    }
}
