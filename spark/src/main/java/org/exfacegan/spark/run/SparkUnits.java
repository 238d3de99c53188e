package org.exfacegan.spark.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.ScaleOut;
import org.exfacegan.spark.JobFailure;
import org.exfacegan.spark.ship.Payload;

/**
 * A run's units of work as Spark jobs: each probe chunk a task, identities in tasks of
 * {@code identitiesPerTask} (a retried task redoes only its block). The driver's plugins and models
 * are shipped once per run ({@link Payload}); the driver keeps everything else (boundaries, the
 * dataset's finish), in the runner's {@code Pipeline}.
 */
public final class SparkUnits implements ScaleOut.Session {
    /** Spark setting: identities per task (default {@value #DEFAULT_IDENTITIES_PER_TASK}). */
    public static final String IDENTITIES_PER_TASK = "spark.exfacegan.identitiesPerTask";
    static final int DEFAULT_IDENTITIES_PER_TASK = 8;

    private final JavaSparkContext sc;
    private final PluginRegistry registry;
    private final boolean ownsContext;
    private final int identitiesPerTask;
    private final String run = UUID.randomUUID().toString();
    private Path scratch;
    private RunTask task;

    /** @param ownsContext stop {@code sc} on close */
    public SparkUnits(JavaSparkContext sc, PluginRegistry registry, boolean ownsContext) {
        this.sc = sc;
        this.registry = registry;
        this.ownsContext = ownsContext;
        this.identitiesPerTask = sc.getConf().getInt(IDENTITIES_PER_TASK, DEFAULT_IDENTITIES_PER_TASK);
        if (identitiesPerTask < 1) {
            throw new ExfaceganException("Spark setting " + IDENTITIES_PER_TASK + " must be at least 1, got " + identitiesPerTask);
        }
    }

    @Override
    public void run(Kind kind, ResolvedConfig rc, List<Integer> units, IntConsumer here, IntConsumer done) {
        if (units.isEmpty()) {
            return;
        }
        RunTask t = task(rc);
        int perTask = kind == Kind.PROBE_CHUNK ? 1 : identitiesPerTask;
        int tasks = (units.size() + perTask - 1) / perTask;
        sc.setJobDescription(kind == Kind.PROBE_CHUNK ? units.size() + " probe chunks" : units.size() + " identities");
        try {
            sc.parallelize(units, tasks).foreachPartition(it -> t.write(kind, it));
        } catch (RuntimeException e) {
            ExfaceganException ours = JobFailure.userError(e);
            throw ours != null ? ours : new ExfaceganException("the Spark job writing " + units.size() + " " + kind.name().toLowerCase()
                    .replace('_', ' ') + " units failed: " + e.getMessage() + " (what was published is kept: run again to resume)", e);
        }
        units.forEach(done::accept);
    }

    /** The run's task, its files shipped on first use (the config the run goes by is known only once it started). */
    private RunTask task(ResolvedConfig rc) {
        String config = ShippedRun.config(rc);
        if (task == null || !task.config().equals(config)) {
            try {
                if (scratch == null) {
                    scratch = Files.createTempDirectory("exfacegan-spark-");
                }
                String alias = "exfacegan-" + run.substring(0, 8) + (task == null ? "" : "-" + System.nanoTime());
                task = new RunTask(run, Payload.ship(sc, alias, ShippedRun.files(rc, registry), scratch.resolve(alias + ".zip")), config);
            } catch (IOException e) {
                throw new ExfaceganException("cannot make a scratch folder for the shipped plugins and models: " + RunFolder.describe(e), e);
            }
        }
        return task;
    }

    @Override
    public void close() {
        RunTask.release(run);
        try {
            if (scratch != null) {
                RunFolder.deleteTree(scratch);
            }
        } catch (IOException ignored) {
            // a temporary folder of the driver; the system clears it
        } finally {
            if (ownsContext) {
                sc.close();
            }
        }
    }
}
