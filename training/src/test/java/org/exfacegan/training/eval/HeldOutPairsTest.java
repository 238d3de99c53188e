package org.exfacegan.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.exfacegan.runner.verification.Benchmark;
import org.exfacegan.training.data.Datasets;
import org.exfacegan.training.data.DatasetsTestSupport;
import org.exfacegan.training.data.FaceDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The held-out identities as a benchmark: pairs alternate genuine / impostor (so each of the
 * protocol's consecutive folds holds both), genuine pairs are two different images of one held-out
 * identity, impostor pairs images of two, nothing else of the dataset is used, and the draw depends
 * only on the seed.
 */
class HeldOutPairsTest {
    @TempDir
    Path dir;

    @Test
    void pairsAlternateAndTellTheTruth() throws IOException {
        DatasetsTestSupport.folders(dir.resolve("faces"), 12, 5);
        FaceDataset data = Datasets.open(dir.resolve("faces"));
        int[] held = {1, 4, 7, 9};
        Benchmark b = new HeldOutPairs(data, held, 60, 3, 10).load();
        assertEquals("holdout", b.name());
        assertEquals(60, b.pairs());
        Set<Integer> heldOut = new HashSet<>();
        for (int h : held) {
            heldOut.add(h);
        }
        List<Integer> samples = b.images().stream().map(i -> sampleOf(data, i.label())).toList();
        for (int k = 0; k < b.pairs(); k++) {
            assertEquals(k % 2 == 0, b.same()[k], "pair " + k + " alternates, genuine first");
            int a = samples.get(b.first()[k]);
            int c = samples.get(b.second()[k]);
            assertTrue(heldOut.contains(data.label(a)) && heldOut.contains(data.label(c)), "pair " + k + " uses held-out identities only");
            assertEquals(b.same()[k], data.label(a) == data.label(c), "pair " + k + " label");
            assertNotEquals(a, c, "pair " + k + " compares two images");
        }
        assertEquals(112, b.images().get(0).read().width());

        Benchmark again = new HeldOutPairs(data, held, 60, 3, 10).load();
        assertArrayEquals(b.first(), again.first());
        assertArrayEquals(b.second(), again.second());
        assertEquals(samples, again.images().stream().map(i -> sampleOf(data, i.label())).toList());
        Benchmark other = new HeldOutPairs(data, held, 60, 4, 10).load();
        assertTrue(!java.util.Arrays.equals(b.first(), other.first()) || !java.util.Arrays.equals(b.second(), other.second()),
                "another seed draws other pairs");
    }

    /** Two held-out identities of two images give one genuine pair: too few for the 10-fold protocol, said clearly. */
    @Test
    void tooFewGenuinePairsAreRefused() throws IOException {
        DatasetsTestSupport.folders(dir.resolve("faces"), 6, 2);
        FaceDataset data = Datasets.open(dir.resolve("faces"));
        String m = assertThrows(IllegalArgumentException.class, () -> new HeldOutPairs(data, new int[] {0, 3}, 2000, 1, 10))
                .getMessage();
        assertTrue(m.contains("the 2 held-out identities give 2 genuine pairs"), m);
        assertTrue(m.contains("at least 10 of each kind"), m);
    }

    private static int sampleOf(FaceDataset data, String label) {
        for (int s = 0; s < data.size(); s++) {
            if (data.describe(s).equals(label)) {
                return s;
            }
        }
        throw new AssertionError("no sample is " + label);
    }
}
