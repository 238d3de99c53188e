package org.exfacegan.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.spark.store.HadoopStore;
import org.exfacegan.spark.store.StoreLocation;
import org.exfacegan.spark.store.Trees;
import org.exfacegan.spark.testing.Attempt;
import org.exfacegan.spark.testing.ChildJvm;
import org.exfacegan.spark.testing.SparkTestConf;
import org.exfacegan.spark.testing.ToyJob;
import org.exfacegan.spark.testing.ToyJobMain;
import org.exfacegan.spark.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed (SIGKILL) in the middle of the job, with units half-written on an object-store-like
 * store, and the job submitted again: it trusts only the markers, redoes exactly the unmarked units,
 * and ends with the single-machine run's files.
 */
class DriverKillResumeTest {
    private static final int UNITS = 14;
    private static final int IMAGES = 5;
    private static final long SEED = 9;

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aKilledDriverResubmittedResumesFromTheMarkersAlone() {
        Path out = dir.resolve("out");
        Path log = dir.resolve("driver.log");
        Process driver = ChildJvm.start(ToyJobMain.class.getName(),
                List.of("-Xmx768m"),
                List.of(out.toUri().toString(), dir.resolve("attempts-1").toString(), Integer.toString(UNITS), Integer.toString(IMAGES),
                        Long.toString(SEED), Integer.toString(UNITS), "120"),
                Map.of(), log);
        try {
            Waits.until("the first driver to mark 2 units and half-write another", Duration.ofSeconds(300), () -> {
                if (!driver.isAlive()) {
                    throw new AssertionError("the driver ended before it was killed:\n" + ChildJvm.tail(log, 40));
                }
                return ToyJob.markedUnits(out, UNITS).size() >= 2 && !ToyJob.partialUnits(out, UNITS).isEmpty();
            }, () -> "\n" + ChildJvm.tail(log, 40));
        } finally {
            ChildJvm.killTree(driver.toHandle());
        }
        Set<Integer> marked = new TreeSet<>(ToyJob.markedUnits(out, UNITS));
        List<Integer> partial = ToyJob.partialUnits(out, UNITS);
        assertFalse(partial.isEmpty(), "a unit was half-written when the driver died");
        assertTrue(marked.size() < UNITS, "killed mid-job: " + marked);

        ToyJob again = new ToyJob(new StoreLocation(out.toUri().toString(), Map.of(HadoopStore.ATOMIC_RENAME_KEY, "false")),
                UNITS, IMAGES, SEED, 4, 0, dir.resolve("attempts-2").toString(), null, "cpu");
        try (JavaSparkContext sc = new JavaSparkContext(SparkTestConf.of("local[2]", "resubmitted"))) {
            again.run(sc);
        }
        List<Attempt> second = Attempt.read(dir.resolve("attempts-2"));
        Set<Integer> skipped = units(second, "skipped");
        Set<Integer> republished = units(second, "PUBLISHED");
        assertEquals(marked, skipped, "the resubmitted job skips exactly the marked units" + ToyJob.describe(second));
        assertEquals(IntStream.range(0, UNITS).filter(u -> !marked.contains(u)).boxed().collect(Collectors.toSet()), republished,
                "and publishes every other one, the half-written ones included" + ToyJob.describe(second));
        assertTrue(republished.containsAll(partial));
        assertEquals(again.singleMachineFiles(dir.resolve("single")), Trees.of(out), "the same files as an uninterrupted single-machine run");
    }

    private static Set<Integer> units(List<Attempt> attempts, String event) {
        return attempts.stream().filter(a -> a.event().equals(event)).map(Attempt::unit).collect(Collectors.toCollection(TreeSet::new));
    }
}
