package org.exfacegan.spark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The write-then-mark publication scheme on every store: kills at each step, duplicates, resume. */
class PublisherTest {
    @TempDir
    Path dir;

    static Publication identity(int index, int images, long seed) {
        return ToyIdentity.of(index, images, seed);
    }

    private Path fresh(String name) {
        return dir.resolve(name);
    }

    private static OutputStore open(StoreKind kind, Path root) {
        OutputStore s = kind.open(root);
        s.create();
        return s;
    }

    private Map<String, String> reference(StoreKind kind, Publication... units) {
        Path root = fresh("reference-" + kind);
        OutputStore s = open(kind, root);
        for (Publication p : units) {
            assertEquals(Publisher.Outcome.PUBLISHED, new Publisher(s).publish(p));
        }
        return Trees.of(root);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void publishesTheFilesThenAMarkerListingThem(StoreKind kind) throws Exception {
        Path root = fresh("out");
        OutputStore s = open(kind, root);
        Publisher publisher = new Publisher(s);
        assertFalse(publisher.isPublished("identities/00004"));
        assertEquals(Publisher.Outcome.PUBLISHED, publisher.publish(identity(4, 3, 7)));
        assertTrue(publisher.isPublished("identities/00004"));
        assertEquals(List.of("0000.png", "0001.png", "0002.png"), s.list("images/00004"));
        String marker = Files.readString(root.resolve("_published/identities/00004.json"));
        assertTrue(marker.contains("\"path\":\"images/00004/0000.png\"") && marker.contains("\"path\":\"meta/00004.jsonl\""), marker);
        assertEquals(List.of(), publisher.verify("identities/00004"));
        assertEquals(java.util.Set.of("identities/00004"), publisher.published("identities"));
        assertEquals(List.of(), Trees.hidden(root));
    }

    /**
     * A task killed before each of its changes in turn: no marker is left (the unit reads as not
     * published), and the resumed run (temporaries removed, unit published again) ends with exactly
     * the files of a run that was never killed.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aKillAtAnyStepLeavesNoMarkerAndTheRedoEndsWithTheSameFiles(StoreKind kind) {
        Publication unit = identity(2, 4, 11);
        Publication other = identity(3, 2, 11);
        Map<String, String> expected = reference(kind, other, unit);
        InterceptedStore counter = new InterceptedStore(open(kind, fresh("count")), i -> { });
        new Publisher(counter).publish(unit);
        int steps = counter.changes();
        assertTrue(steps >= 4, "changes in one publication: " + steps);
        for (int k = 0; k < steps; k++) {
            Path root = fresh("kill-" + k);
            new Publisher(open(kind, root)).publish(other);
            InterceptedStore dying = InterceptedStore.crashingBefore(open(kind, root), k);
            assertThrows(InterceptedStore.Crash.class, () -> new Publisher(dying).publish(unit));
            OutputStore resumed = open(kind, root);
            Publisher publisher = new Publisher(resumed);
            assertFalse(publisher.isPublished(unit.name()), "killed before change " + k + " of " + steps + ": no marker");
            assertTrue(publisher.isPublished(other.name()));
            resumed.removeTemporaries();
            assertEquals(Publisher.Outcome.PUBLISHED, publisher.publish(unit));
            assertEquals(expected, Trees.of(root), "killed before change " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDuplicateAttemptChangesNothing(StoreKind kind) throws Exception {
        Path root = fresh("out");
        OutputStore s = open(kind, root);
        Publication unit = identity(5, 3, 1);
        new Publisher(s).publish(unit);
        Map<String, String> before = Trees.of(root);
        long markerTime = Files.getLastModifiedTime(root.resolve("_published/identities/00005.json")).toMillis();
        Thread.sleep(20);
        assertEquals(Publisher.Outcome.ALREADY_PUBLISHED, new Publisher(open(kind, root)).publish(identity(5, 3, 1)));
        assertEquals(before, Trees.of(root));
        assertEquals(markerTime, Files.getLastModifiedTime(root.resolve("_published/identities/00005.json")).toMillis(),
                "a marked unit is not written again");
    }

    /** Speculative duplicates racing each other from the first write on: same files, no error, no leftovers. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void duplicatesRunningAtTheSameTimeAreHarmless(StoreKind kind) throws Exception {
        Publication unit = identity(6, 5, 2);
        Map<String, String> expected = reference(kind, unit);
        int attempts = 4;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            for (int round = 0; round < 10; round++) {
                Path root = fresh("race-" + round);
                open(kind, root);
                CyclicBarrier start = new CyclicBarrier(attempts);
                List<Future<Publisher.Outcome>> outcomes = new ArrayList<>();
                for (int a = 0; a < attempts; a++) {
                    outcomes.add(pool.submit(() -> {
                        OutputStore mine = kind.open(root);
                        start.await();
                        return new Publisher(mine).publish(identity(6, 5, 2));
                    }));
                }
                for (Future<Publisher.Outcome> f : outcomes) {
                    f.get();
                }
                assertEquals(expected, Trees.of(root), "round " + round);
                assertEquals(List.of(), Trees.hidden(root));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDuplicateThatMadeOtherBytesFailsLoudlyAndChangesNothing(StoreKind kind) {
        Path root = fresh("out");
        OutputStore s = open(kind, root);
        new Publisher(s).publish(identity(7, 3, 1));
        Map<String, String> before = Trees.of(root);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> new Publisher(s).publish(identity(7, 3, 2)));
        assertTrue(e.getMessage().contains("identities/00007") && e.getMessage().contains("images/00007/0000.png")
                && e.getMessage().contains("other content"), e.getMessage());
        assertEquals(before, Trees.of(root));
    }

    /** Resume trusts markers only: whole-looking files without a marker are redone; a marker is trusted, and verify finds damage under it. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void resumeTrustsOnlyMarkers(StoreKind kind) throws Exception {
        Publication unit = identity(8, 3, 4);
        Map<String, String> expected = reference(kind, unit);
        Path root = fresh("out");
        OutputStore s = open(kind, root);
        Publisher publisher = new Publisher(s);
        publisher.publish(unit);
        Files.delete(root.resolve("_published/identities/00008.json")); // killed just before its marker
        Files.write(root.resolve("images/00008/0001.png"), new byte[0]); // and a file emptied by a power loss
        assertFalse(publisher.isPublished(unit.name()), "files without a marker are not trusted");
        assertEquals(Publisher.Outcome.PUBLISHED, publisher.publish(unit));
        assertEquals(expected, Trees.of(root));

        Files.write(root.resolve("images/00008/0002.png"), new byte[] {9}); // damaged under a marker
        assertTrue(publisher.isPublished(unit.name()), "the marker is what resume trusts");
        List<String> problems = publisher.verify(unit.name());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(kind.writesChecksumFiles() ? "images/00008/0002.png: unreadable: " // Hadoop's own check
                : "images/00008/0002.png: 1 bytes, SHA-256 "), problems.get(0));
        assertEquals(List.of("identities/00009: not published (no marker _published/identities/00009.json)"),
                publisher.verify("identities/00009"));
    }

    @Test
    void aDamagedMarkerIsNamed() throws Exception {
        Path root = fresh("out");
        OutputStore s = open(StoreKind.LOCAL, root);
        new Publisher(s).publish(identity(1, 1, 1));
        Files.writeString(root.resolve("_published/identities/00001.json"), "{\"unit\":");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> new Publisher(s).publish(identity(1, 1, 1)));
        assertTrue(e.getMessage().contains("_published/identities/00001.json") && e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void publicationsThatWouldOverlapAreRefused() {
        byte[] b = {1};
        assertThrows(ExfaceganException.class, () -> Publication.named("u").folder("images/1", Map.of()).build());
        assertThrows(ExfaceganException.class, () -> Publication.named("u").folder("images/1", Map.of("a", b))
                .folder("images/1/sub", Map.of("b", b)));
        assertThrows(ExfaceganException.class, () -> Publication.named("u").folder("images/1", Map.of("a", b))
                .file("images/1/x", b));
        assertThrows(ExfaceganException.class, () -> Publication.named("u").file("images/1/x", b)
                .folder("images/1", Map.of("a", b)));
        assertThrows(ExfaceganException.class, () -> Publication.named("u").file("m", b).file("m", b));
        assertThrows(ExfaceganException.class, () -> Publication.named("u").file("_published/u.json", b));
        assertThrows(ExfaceganException.class, () -> Publication.named("u").folder("images/1", Map.of("a/b", b)));
        assertThrows(ExfaceganException.class, () -> Publication.named("../u"));
        assertThrows(ExfaceganException.class, () -> Publication.named("u").build());
    }
}
