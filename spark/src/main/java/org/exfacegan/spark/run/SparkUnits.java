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
import org.exfacegan.spark.store.StoreLocation;

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
    /**
     * Spark setting: the run's output as a Hadoop file system URI ({@code hdfs://nn/runs/ffhq},
     * {@code s3a://bucket/runs/ffhq}, {@code file:///shared/runs/ffhq}); unset, the run writes into
     * the config's {@code output} folder, which every node must see.
     */
    public static final String OUTPUT = "spark.exfacegan.output";

    private final JavaSparkContext sc;
    private final PluginRegistry registry;
    private final boolean ownsContext;
    private final int identitiesPerTask;
    private final String run = UUID.randomUUID().toString();
    private final StoreLocation output;
    private Path scratch;
    private RunTask task;
    private StoreRun store;

    /** @param ownsContext stop {@code sc} on close */
    public SparkUnits(JavaSparkContext sc, PluginRegistry registry, boolean ownsContext) {
        this(sc, registry, ownsContext, sc.getConf().contains(OUTPUT) ? StoreLocation.of(sc.getConf().get(OUTPUT)) : null);
    }

    /** @param output the run's output store; null: the config's output folder, seen by every node */
    SparkUnits(JavaSparkContext sc, PluginRegistry registry, boolean ownsContext, StoreLocation output) {
        this.output = output;
        this.sc = sc;
        this.registry = registry;
        this.ownsContext = ownsContext;
        this.identitiesPerTask = sc.getConf().getInt(IDENTITIES_PER_TASK, DEFAULT_IDENTITIES_PER_TASK);
        if (identitiesPerTask < 1) {
            throw new ExfaceganException("Spark setting " + IDENTITIES_PER_TASK + " must be at least 1, got " + identitiesPerTask);
        }
    }

    /** With {@value #OUTPUT} set: the run in that store, the pipeline on a working folder of this driver. */
    @Override
    public ResolvedConfig prepare(ResolvedConfig rc, boolean restart) {
        if (output == null) {
            return rc;
        }
        if (store != null) {
            throw new IllegalStateException("one run per session");
        }
        store = StoreRun.open(output, scratch().resolve("run"), restart, System.err::println);
        return new ResolvedConfig(rc.file(), rc.config(), store.root(), rc.backbone(), rc.recognizer());
    }

    @Override
    public void finished() {
        if (store != null) {
            store.publishDriverFiles();
        }
    }

    @Override
    public String location(ResolvedConfig rc) {
        return store != null ? store.describe() : rc.output().toString();
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
        if (store != null) {
            store.publishDriverFiles(); // what the tasks read (probe set, boundaries), and what a resubmitted driver resumes from
        }
        try {
            sc.parallelize(units, tasks).foreachPartition(it -> t.write(kind, it));
        } catch (RuntimeException e) {
            ExfaceganException ours = JobFailure.userError(e);
            throw ours != null ? ours : new ExfaceganException("the Spark job writing " + units.size() + " " + kind.name().toLowerCase()
                    .replace('_', ' ') + " units failed: " + e.getMessage() + " (what was published is kept: run again to resume)", e);
        }
        if (store != null) {
            store.readBack(kind, units);
        }
        units.forEach(done::accept);
    }

    /** The run's task, its files shipped on first use (the config the run goes by is known only once it started). */
    private RunTask task(ResolvedConfig rc) {
        String config = ShippedRun.config(rc);
        if (task == null || !task.config().equals(config)) {
            String alias = "exfacegan-" + run.substring(0, 8) + (task == null ? "" : "-" + System.nanoTime());
            task = new RunTask(run, Payload.ship(sc, alias, ShippedRun.files(rc, registry), scratch().resolve(alias + ".zip")), config,
                    store == null ? null : store.location());
        }
        return task;
    }

    /** This driver's scratch folder (the shipped archive, a store run's working folder). */
    private Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("exfacegan-spark-");
            } catch (IOException e) {
                throw new ExfaceganException("cannot make the driver's scratch folder: " + RunFolder.describe(e), e);
            }
        }
        return scratch;
    }

    @Override
    public void close() {
        RunTask.release(run);
        try {
            if (store != null) {
                store.close();
            }
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
