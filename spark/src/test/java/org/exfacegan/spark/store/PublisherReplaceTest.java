package org.exfacegan.spark.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A unit republished as it changes (the driver's files), and published units read back against their markers. */
class PublisherReplaceTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private OutputStore open(StoreKind kind) {
        OutputStore s = kind.open(dir.resolve("out"));
        s.create();
        return s;
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void replaceWritesWhatChangedThenTheMarkerThenDeletesWhatIsNoLongerListed(StoreKind kind) throws Exception {
        OutputStore s = open(kind);
        Publisher publisher = new Publisher(s);
        publisher.replace(Publication.named("driver").file("run.json", bytes("running")).file("probe/chunk.npy", bytes("c"))
                .file("same.json", bytes("same")).build());
        assertEquals(List.of("probe/chunk.npy", "run.json", "same.json"), List.copyOf(publisher.listed("driver").keySet()));
        Object sameBefore = Files.readAttributes(dir.resolve("out/same.json"), BasicFileAttributes.class).lastModifiedTime();
        Thread.sleep(20);

        publisher.replace(Publication.named("driver").file("run.json", bytes("complete")).file("same.json", bytes("same"))
                .file("summary.json", bytes("{}")).build());
        assertArrayEquals(bytes("complete"), s.read("run.json"));
        assertArrayEquals(bytes("{}"), s.read("summary.json"));
        assertFalse(s.exists("probe/chunk.npy"), "a file the new marker does not list is deleted");
        assertEquals(sameBefore, Files.readAttributes(dir.resolve("out/same.json"), BasicFileAttributes.class).lastModifiedTime(),
                "an unchanged file is not written again");
        assertEquals(List.of("run.json", "same.json", "summary.json"), List.copyOf(publisher.listed("driver").keySet()));
        // a file the marker lists but that is gone is written again
        s.delete("same.json");
        publisher.replace(Publication.named("driver").file("run.json", bytes("complete")).file("same.json", bytes("same")).build());
        assertArrayEquals(bytes("same"), s.read("same.json"));
        assertFalse(s.exists("summary.json"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void readBackGivesAWholeUnitAndNothingForOneWithAFileChangedOrMissing(StoreKind kind) throws Exception {
        OutputStore s = open(kind);
        Publisher publisher = new Publisher(s);
        assertNull(publisher.readBack("identities/00001"), "not published");
        publisher.publish(ToyIdentity.of(1, 3, 5));
        publisher.publish(ToyIdentity.of(2, 3, 5));
        SortedMap<String, byte[]> files = publisher.readBack("identities/00001");
        assertNotNull(files);
        assertEquals(ToyIdentity.of(1, 3, 5).files().keySet(), files.keySet());
        ToyIdentity.of(1, 3, 5).files().forEach((path, content) -> assertArrayEquals(content, files.get(path), path));

        // same size, other bytes: found by the hash
        Path image = dir.resolve("out/images/00001/0001.png");
        byte[] damaged = Files.readAllBytes(image);
        damaged[0] ^= 1;
        Files.write(image, damaged);
        assertNull(publisher.readBack("identities/00001"));
        s.delete("images/00002/0002.png");
        assertNull(publisher.readBack("identities/00002"));

        // a marker cut short (a writer killed while writing it in place, where nothing is renamed)
        publisher.publish(ToyIdentity.of(3, 2, 5));
        byte[] marker = s.read(Publisher.markerPath("identities/00003"));
        s.write(Publisher.markerPath("identities/00003"), java.util.Arrays.copyOf(marker, marker.length / 2));
        assertNull(publisher.readBack("identities/00003"), "a damaged marker vouches for nothing");

        publisher.unpublish("identities/00001");
        assertFalse(publisher.isPublished("identities/00001"));
        assertTrue(s.exists("images/00001/0000.png"), "unpublishing keeps the files, to be overwritten");
        assertEquals(Publisher.Outcome.PUBLISHED, publisher.publish(ToyIdentity.of(1, 3, 5)));
        assertNotNull(publisher.readBack("identities/00001"), "published again whole");
    }
}
