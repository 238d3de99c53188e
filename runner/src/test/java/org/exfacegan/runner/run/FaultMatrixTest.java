package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the disk and of the models in the middle of a run: each must fail with an error that
 * says what happened, keep every finished identity whole, show no partial one, and resume to the
 * dataset an uninterrupted run writes. The full and read-only disks are real tmpfs mounts where
 * the test may mount (root on Linux), else skipped; the injected I/O failure always runs.
 */
class FaultMatrixTest {
    private static final int IDENTITIES = 6;

    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String k : List.of("tinygan.failAfter", "tinygan.shapeAfter", "tinyface.sizeAfter")) {
            System.clearProperty(k);
        }
        for (Path m : mounts) {
            sh("umount", "-l", m.toString());
        }
    }

    @Test
    void injectedWriteFailureMidRunKeepsFinishedIdentitiesAndResumes() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        Path cfg = TinyRuns.config(dir, "x", "", 16);
        RunFolder.open(dir.resolve("x")).close(); // a run folder, then
        // a non-empty folder where identity 00003's latents file must go: the rename onto it fails
        Path obstacle = Files.createDirectories(dir.resolve("x/meta/00003.npy/in-the-way"));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().startsWith("cannot write " + dir.resolve("x/meta/00003.npy") + ": "), e.getMessage());
        assertFinishedIdentitiesIntact(dir.resolve("ref"), dir.resolve("x"), 3);
        try (Stream<Path> left = Files.list(dir.resolve("x/" + RunFolder.TEMPORARIES))) {
            assertEquals(List.of(), left.toList(), "the temporary file is removed");
        }
        Files.delete(obstacle);
        Files.delete(obstacle.getParent());
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(dir.resolve("x")));
    }

    @Test
    void fullFilesystemFailsClearlyAndResumesWhenSpaceIsFreed() throws Exception {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        long probePages = pages(dir.resolve("ref/probe"));
        long total = pages(dir.resolve("ref"));
        long samplePages = pages(dir.resolve("ref/images")) + pages(dir.resolve("ref/meta")) + pages(dir.resolve("ref/references"));
        // room for the probe stage (chunks and joined files side by side) and the boundaries, not for every identity
        long fixed = total - samplePages - pages(dir.resolve("ref/manifest.jsonl")) - pages(dir.resolve("ref/latents.npy"))
                - pages(dir.resolve("ref/contact_sheet.png")) - pages(dir.resolve("ref/summary.json"));
        long limit = Math.max(2 * probePages + 4, fixed + samplePages / 2);
        Path mnt = mountTmpfs("full", "size=" + limit * 4 + "k");
        Path cfg = configWithOutput("full/out");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        int finished = assertFinishedIdentitiesIntact(dir.resolve("ref"), mnt.resolve("out"), -1);
        System.out.printf("full filesystem (%d KiB tmpfs): failed after %d of %d identities: %s%n", limit * 4, finished,
                IDENTITIES, e.getMessage());
        assertTrue(finished < IDENTITIES, "the disk filled before the end");
        assertEquals(0, sh("mount", "-o", "remount,size=32m", mnt.toString()));
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(mnt.resolve("out")));
    }

    @Test
    void readOnlyFilesystemFailsClearlyAndResumesWhenWritable() throws Exception {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        Path mnt = mountTmpfs("ro", "size=32m");
        Path cfg = configWithOutput("ro/out");
        System.setProperty("tinygan.failAfter", "8"); // stop during sampling, as a crash would
        assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        System.clearProperty("tinygan.failAfter");
        Map<String, String> before = TinyRuns.digest(mnt.resolve("out"));
        assertEquals(0, sh("mount", "-o", "remount,ro", mnt.toString()));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertEquals("cannot write in output folder " + mnt.resolve("out") + ": FileSystemException: "
                + mnt.resolve("out/run.lock") + ": Read-only file system", e.getMessage());
        assertEquals(before, TinyRuns.digest(mnt.resolve("out")), "nothing changed");
        int finished = assertFinishedIdentitiesIntact(dir.resolve("ref"), mnt.resolve("out"), 2);
        assertEquals(0, sh("mount", "-o", "remount,rw", mnt.toString()));
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(mnt.resolve("out")));
        System.out.printf("read-only filesystem: refused with \"%s\"; %d finished identities kept%n", e.getMessage(), finished);
    }

    @Test
    void backboneReturningTooFewImagesMidRunFailsTheIdentityLoudly() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        Path cfg = TinyRuns.config(dir, "x", "", 16);
        System.setProperty("tinygan.shapeAfter", "8"); // render calls: 1-3 probe set, then 2 per identity
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertEquals("backbone returned 4 images for 5 latents (identity 00002, candidates 0..4)", e.getMessage());
        assertFinishedIdentitiesIntact(dir.resolve("ref"), dir.resolve("x"), 2);
        System.clearProperty("tinygan.shapeAfter");
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(dir.resolve("x")));
    }

    @Test
    void recognizerChangingItsEmbeddingSizeMidRunFailsLoudly() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        Path cfg = TinyRuns.config(dir, "x", "", 16);
        System.setProperty("tinyface.sizeAfter", "8"); // embed calls: 1-3 probe set, then 2 per identity (reference, samples)
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertEquals("recognizer returned an embedding of size " + (org.exfacegan.runner.testing.TinyWorld.ID_DIM + 1)
                + ", expected " + org.exfacegan.runner.testing.TinyWorld.ID_DIM + " (reference of identity 00002, image 0)",
                e.getMessage());
        assertFinishedIdentitiesIntact(dir.resolve("ref"), dir.resolve("x"), 2);
        System.clearProperty("tinyface.sizeAfter");
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(dir.resolve("x")));
    }

    @Test
    void modelFileChangedBetweenCrashAndResumeIsRefused() throws IOException {
        TinyRuns.run(TinyRuns.config(dir, "ref", "", 16));
        Path cfg = TinyRuns.config(dir, "x", "", 16);
        System.setProperty("tinygan.failAfter", "8");
        assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        System.clearProperty("tinygan.failAfter");
        Files.writeString(dir.resolve("tiny.model"), "tiny world, re-exported");
        ExfaceganException e = assertThrows(org.exfacegan.runner.config.ConfigException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().startsWith("output folder " + dir.resolve("x") + " holds a run made with another tiny.model "
                + "for the backbone (SHA-256 "), e.getMessage());
        Files.writeString(dir.resolve("tiny.model"), "tiny world");
        TinyRuns.run(cfg);
        assertEquals(TinyRuns.digest(dir.resolve("ref")), TinyRuns.digest(dir.resolve("x")));
    }

    @Test
    void symbolicLinksInsideTheOutputFolderAreNeverFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("victim.txt"), "keep me");
        Path cfg = TinyRuns.config(dir, "x", "", 16);

        RunFolder.open(dir.resolve("x")).close(); // the run's folder
        Files.createSymbolicLink(dir.resolve("x/images"), outside);
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertEquals("output folder " + dir.resolve("x") + " holds a symbolic link " + dir.resolve("x/images") + " -> "
                + outside + "; a run never follows links inside its output folder (they could lead outside it): remove the link",
                e.getMessage());
        Files.delete(dir.resolve("x/images"));

        // the run's temporaries folder planted as a link: refused, the folder it points to untouched
        RunFolder.deleteTree(dir.resolve("x/" + RunFolder.TEMPORARIES));
        Files.createSymbolicLink(dir.resolve("x/" + RunFolder.TEMPORARIES), outside);
        e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().contains("holds a symbolic link " + dir.resolve("x/" + RunFolder.TEMPORARIES)), e.getMessage());
        Files.delete(dir.resolve("x/" + RunFolder.TEMPORARIES));

        // a link at a name the run does not use is left alone and never followed; a planted lock is refused
        Files.createSymbolicLink(dir.resolve("x/.references.json.tmp"), victim);
        TinyRuns.run(cfg);
        assertTrue(Files.isSymbolicLink(dir.resolve("x/.references.json.tmp")), "not the run's: left where it is");
        Files.delete(dir.resolve("x/run.lock"));
        Files.createSymbolicLink(dir.resolve("x/run.lock"), victim);
        e = assertThrows(ExfaceganException.class, () -> TinyRuns.run(cfg));
        assertTrue(e.getMessage().contains("holds a symbolic link " + dir.resolve("x/run.lock")), e.getMessage());
        assertEquals("keep me", Files.readString(victim));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(victim), s.toList(), "nothing written outside the output folder");
        }
    }

    /** The tiny config, in the test folder, writing to {@code output} (a path below it). */
    private Path configWithOutput(String output) throws IOException {
        Path cfg = TinyRuns.config(dir, "cfg", "", 16);
        return Files.writeString(cfg, Files.readString(cfg).replace("\"output\": \"cfg\"", "\"output\": \"" + output + "\""));
    }

    /**
     * Every identity present is complete and byte-identical to the reference run's; no partial
     * identity is visible. Returns how many are present; {@code expected} >= 0 checks the count.
     */
    private static int assertFinishedIdentitiesIntact(Path ref, Path out, int expected) throws IOException {
        Path images = out.resolve("images");
        List<Path> present;
        try (Stream<Path> s = Files.exists(images) ? Files.list(images) : Stream.empty()) {
            present = s.sorted().toList();
        }
        assertTrue(present.stream().noneMatch(p -> p.getFileName().toString().startsWith(".")), "no partial identity: " + present);
        if (expected >= 0) {
            assertEquals(expected, present.size(), present.toString());
        }
        Map<String, String> want = TinyRuns.digest(ref);
        Map<String, String> got = TinyRuns.digest(out);
        for (Path id : present) {
            String name = id.getFileName().toString();
            for (String f : List.of("meta/" + name + ".npy", "meta/" + name + ".jsonl", "meta/" + name + ".counts.json",
                    "references/" + name + ".png")) {
                assertEquals(want.get(f), got.get(f), f);
            }
            want.keySet().stream().filter(k -> k.startsWith("images/" + name + "/"))
                    .forEach(k -> assertEquals(want.get(k), got.get(k), k));
        }
        return present.size();
    }

    /** Pages (4 KiB) the files under {@code p} take on a tmpfs. */
    private static long pages(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return (Files.size(f) + 4095) / 4096;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).sum();
        }
    }

    private Path mountTmpfs(String name, String options) throws Exception {
        Path at = Files.createDirectories(dir.resolve(name));
        boolean linux = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
        Assumptions.assumeTrue(linux && sh("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()) == 0,
                "cannot mount a tmpfs here (needs root on Linux)");
        mounts.add(at);
        return at;
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
