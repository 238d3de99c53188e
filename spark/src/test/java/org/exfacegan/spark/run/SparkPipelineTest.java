package org.exfacegan.spark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.SparkTestConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real pipeline on local[2]: the same files as the plain runner's run of the same config. */
class SparkPipelineTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        // 3 identities per task: 10 identities make 4 tasks, the last one short
        sc = new JavaSparkContext(SparkTestConf.of("local[2]", "pipeline-test").set(SparkUnits.IDENTITIES_PER_TASK, "3"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @Test
    void localTwoWritesTheFilesOfThePlainRun() throws Exception {
        Path plain = DemoRun.run(DemoRun.config(dir.resolve("plain"), 10, 6), UnitRunner.IN_PROCESS);
        Path spark;
        TaskCounter tasks = new TaskCounter();
        sc.sc().addSparkListener(tasks);
        try (SparkUnits units = new SparkUnits(sc, DemoRun.registry(dir), false)) {
            spark = DemoRun.run(DemoRun.config(dir.resolve("spark"), 10, 6), units);
        } finally {
            sc.sc().removeSparkListener(tasks);
        }
        // the units were Spark tasks: 3 probe chunks, then 10 identities in tasks of 3
        assertEquals(List.of(3, 4), tasks.perJob(), "tasks per job");
        Map<String, String> expected = DemoRun.files(plain);
        assertTrue(expected.keySet().containsAll(List.of(RunLayout.MANIFEST, RunLayout.LATENTS, RunLayout.TRAIN_REC,
                "images/00009/0005.png", RunLayout.SAMPLING_JSON)), expected.keySet().toString());
        assertEquals(expected, DemoRun.files(spark));
        assertEquals(List.of(), Trees.hidden(spark).stream().filter(h -> !h.equals(RunLayout.MARKER)).toList(),
                "temporaries left");
        // run.json differs only in times and the config's path: the same experiment
        RunRecord a = RunRecord.read(plain);
        RunRecord b = RunRecord.read(spark);
        assertEquals(a.configHash(), b.configHash());
        assertEquals(a.summary(), b.summary());
        assertFalse(Files.exists(spark.resolve(RunLayout.TEMPORARIES)));
    }
}
