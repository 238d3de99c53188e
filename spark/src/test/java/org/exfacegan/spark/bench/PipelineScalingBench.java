package org.exfacegan.spark.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.run.DemoRun;
import org.exfacegan.spark.run.SparkUnits;
import org.exfacegan.spark.testing.SparkTestConf;

/**
 * Identities per second of the demo world's pipeline: the plain runner, Spark local[1] and local[2],
 * each model on one intra-op thread (so local[N] uses N cores and the plain runner one). Rounds
 * alternate the three so that load from other processes hits them alike; the median round is
 * reported. Stage seconds come from each run's run.json (the driver's wall time per stage), so
 * Spark's start-up is left out but its per-job and per-task costs and the executors' model opening
 * are in. Prints the per-stage costs the paper-scale estimate in docs/spark.md is built from.
 *
 * <p>{@code mvn -B -Pbench -pl spark -am -DskipTests verify}; {@code -Dbench.rounds=N} (default 3),
 * {@code -Dbench.identities=N} (default 96).
 */
public final class PipelineScalingBench {
    private static final int PROBES = 512;
    private static final int IDENTITIES = Integer.getInteger("bench.identities", 96);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 12);

    private PipelineScalingBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path dir = Files.createTempDirectory("exfacegan-spark-bench");
        try {
            String[] names = {"plain", "local[1]", "local[2]"};
            double[][] samples = new double[3][rounds];
            double[][] probe = new double[3][rounds];
            double[] fit = new double[rounds];
            double[] finish = new double[rounds];
            System.out.printf(Locale.ROOT, "demo world: %d probes, %d identities x %d images, models on 1 thread each; %d rounds, "
                    + "median; %d CPUs, load average %.1f%n", PROBES, IDENTITIES, SAMPLES, rounds,
                    Runtime.getRuntime().availableProcessors(), load());
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < names.length; k++) {
                    Path cfg = config(dir.resolve(r + "-" + k));
                    Path out;
                    if (k == 0) {
                        out = DemoRun.run(cfg, UnitRunner.IN_PROCESS);
                    } else {
                        try (JavaSparkContext sc = new JavaSparkContext(SparkTestConf.of(names[k], "pipeline-scaling-bench"));
                             SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false)) {
                            sc.sc().setLogLevel("ERROR");
                            out = DemoRun.run(cfg, units);
                        }
                    }
                    RunRecord.Seconds s = RunRecord.read(out).secondsThisSession();
                    samples[k][r] = s.samples();
                    probe[k][r] = s.probe();
                    if (k == 0) {
                        fit[r] = s.fit();
                        finish[r] = s.finish();
                    }
                    RunFolder.deleteTree(out.getParent());
                }
            }
            for (int k = 0; k < names.length; k++) {
                System.out.printf(Locale.ROOT, "%-9s identities %6.2f /s (stage %6.1f s), probes %6.1f /s (stage %5.1f s)%n", names[k],
                        IDENTITIES / median(samples[k]), median(samples[k]), PROBES / median(probe[k]), median(probe[k]));
            }
            double plain = IDENTITIES / median(samples[0]);
            double one = IDENTITIES / median(samples[1]);
            double two = IDENTITIES / median(samples[2]);
            System.out.printf(Locale.ROOT, "identities: scaling efficiency local[2] / (2 x local[1]) %.2f (target >= 0.85); "
                    + "Spark's overhead, local[1] against the plain runner, %+.1f%% (target <= 10%%)%n", two / (2 * one), 100 * (plain / one - 1));
            System.out.printf(Locale.ROOT, "per-stage costs of the plain runner (1 thread): probe %.1f ms per probe, identity %.0f ms "
                    + "(%.1f ms per image), boundary fit %.2f s, finish %.2f s%n", 1000 * median(probe[0]) / PROBES,
                    1000 * median(samples[0]) / IDENTITIES, 1000 * median(samples[0]) / (IDENTITIES * SAMPLES), median(fit), median(finish));
        } finally {
            RunFolder.deleteTree(dir);
        }
    }

    private static Path config(Path dir) throws Exception {
        Path cfg = DemoRun.config(dir, IDENTITIES, SAMPLES);
        ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(cfg.toFile());
        tree.put("probes", PROBES);
        ((ObjectNode) tree.get("dataset")).put("recordio", false);
        ((ObjectNode) tree.get("dataset")).put("contact_sheet", 0);
        ((ObjectNode) tree.get("backbone")).put("threads", 1);
        ((ObjectNode) tree.get("recognizer")).put("threads", 1);
        Files.writeString(cfg, Json.pretty(tree));
        return cfg;
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
