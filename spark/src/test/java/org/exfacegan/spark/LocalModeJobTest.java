package org.exfacegan.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.Attempt;
import org.exfacegan.spark.testing.SparkTestConf;
import org.exfacegan.spark.testing.ToyJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** The toy job on local[2]: the files are those of the single-machine run, whatever the partitions and store mode. */
class LocalModeJobTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(SparkTestConf.of("local[2]", "local-mode-test"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @ParameterizedTest
    @CsvSource({"1,true", "3,true", "11,false", "4,false"})
    void sparkWritesTheSameFilesAsTheSingleMachineRun(int partitions, boolean atomicRename) {
        Path out = dir.resolve("out");
        ToyJob job = new ToyJob(new StoreLocation(out.toUri().toString(), Map.of(HadoopStore.ATOMIC_RENAME_KEY, Boolean.toString(atomicRename))),
                11, 3, 5, partitions, 0, dir.resolve("attempts").toString(), null, "cpu");
        job.run(sc);
        assertEquals(job.singleMachineFiles(dir.resolve("single")), Trees.of(out));
        assertEquals(List.of(), Trees.hidden(out));
        List<Attempt> attempts = Attempt.read(dir.resolve("attempts"));
        assertEquals(11, attempts.stream().filter(a -> a.event().equals("PUBLISHED")).count(), ToyJob.describe(attempts));

        job.run(sc); // submitted again: every unit is marked, nothing is written
        List<Attempt> again = Attempt.read(dir.resolve("attempts"));
        assertEquals(11, again.stream().filter(a -> a.event().equals("skipped")).count(), ToyJob.describe(again));
        assertTrue(again.stream().filter(a -> a.event().equals("PUBLISHED")).count() == 11);
        assertEquals(job.singleMachineFiles(dir.resolve("single2")), Trees.of(out));
    }
}
