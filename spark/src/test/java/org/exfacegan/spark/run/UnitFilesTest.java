package org.exfacegan.spark.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.exfacegan.runner.run.UnitRunner;
import org.exfacegan.spark.store.Publication;
import org.exfacegan.spark.store.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files of a run folder a unit wrote, and writing them back into a working folder. */
class UnitFilesTest {
    @TempDir
    Path dir;

    private void file(Path root, String path, String content) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), content);
    }

    @Test
    void anIdentitysFilesAreItsImageFolderItsMetaFilesAndItsReferenceCropAndNothingOfOthers() throws Exception {
        Path scratch = dir.resolve("scratch");
        for (String p : List.of("images/00003/0000.png", "images/00003/0001.png", "meta/00003.npy", "meta/00003.jsonl",
                "meta/00003.counts.json", "meta/00003.sha256", "references/00003.png", "meta/00013.npy", "meta/000030.npy",
                "references/00004.png", "images/00004/0000.png", "probe/latents.npy", "run.json")) {
            file(scratch, p, p);
        }
        Publication p = UnitFiles.collect(UnitRunner.Kind.IDENTITY, 3, scratch);
        assertEquals("identities/00003", p.name());
        assertEquals(List.of("images/00003/0000.png", "images/00003/0001.png", "meta/00003.counts.json", "meta/00003.jsonl",
                "meta/00003.npy", "meta/00003.sha256", "references/00003.png"), List.copyOf(p.files().keySet()));
        assertEquals(Set.of("images/00003"), p.folders());

        // back into a working folder: an earlier copy of its image folder is replaced whole
        Path work = dir.resolve("work");
        file(work, "images/00003/0007.png", "stale");
        UnitFiles.writeUnit(work, p.name(), p.files());
        assertEquals(p.files().keySet(), Trees.of(work).keySet());
        assertArrayEquals(p.files().get("meta/00003.npy"), Files.readAllBytes(work.resolve("meta/00003.npy")));

        UnitFiles.removeFrom(scratch, p);
        assertEquals(Set.of("meta/00013.npy", "meta/000030.npy", "references/00004.png", "images/00004/0000.png",
                "probe/latents.npy", "run.json"), Trees.of(scratch).keySet());
    }

    @Test
    void anIdentityThatKeptNoImageHasAnEmptyImageFolderInTheWorkingFolder() throws Exception {
        Path scratch = dir.resolve("scratch");
        Files.createDirectories(scratch.resolve("images/00005"));
        file(scratch, "meta/00005.jsonl", "");
        Publication p = UnitFiles.collect(UnitRunner.Kind.IDENTITY, 5, scratch);
        assertEquals(Set.of(), p.folders(), "a store holds no empty folder");
        Path work = dir.resolve("work");
        UnitFiles.writeUnit(work, p.name(), p.files());
        assertTrue(Files.isDirectory(work.resolve("images/00005")), "as a local run has it");
    }

    @Test
    void aProbeChunkIsItsFolder() throws Exception {
        Path scratch = dir.resolve("scratch");
        file(scratch, "probe/chunks/00002/z.npy", "z");
        file(scratch, "probe/chunks/00002/SHA256SUMS", "s");
        file(scratch, "probe/chunks/00001/z.npy", "other");
        Publication p = UnitFiles.collect(UnitRunner.Kind.PROBE_CHUNK, 2, scratch);
        assertEquals("probe-chunks/00002", p.name());
        assertEquals(Set.of("probe/chunks/00002"), p.folders());
        assertEquals(List.of("probe/chunks/00002/SHA256SUMS", "probe/chunks/00002/z.npy"), List.copyOf(p.files().keySet()));
    }
}
