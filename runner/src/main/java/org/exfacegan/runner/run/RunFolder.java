package org.exfacegan.runner.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.OwnedFolder;
import org.exfacegan.runner.layout.RunLayout;

/**
 * The output folder of one run. Taken only when new, empty or already a run's ({@link FolderClaim});
 * holds an exclusive lock for the run's lifetime (a second run on the same folder is refused,
 * naming the holder), and writes every file atomically through its own temporaries folder: a
 * reader, or a resumed run after a crash, sees a file whole or not at all.
 */
public final class RunFolder implements AutoCloseable {

    private final Path root;
    private final FileChannel lockChannel; // null for a task's view (forTask)
    private final FileLock lock;
    /** Starts the names of this view's temporaries: a task's own, so duplicates never write into each other's. */
    private final String temporaryPrefix;

    private RunFolder(Path root, FileChannel lockChannel, FileLock lock, String temporaryPrefix) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.temporaryPrefix = temporaryPrefix;
    }

    /**
     * A worker's view of a run folder that its driver holds (a Spark task): writes results the same
     * way, takes no lock (the driver holds it, maybe in this very process) and names its temporaries
     * with a random part of its own. Only a folder already marked as a run's is accepted.
     */
    public static RunFolder forTask(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (FolderClaim.inspect(root) != OwnedFolder.Kind.OURS) {
            throw new ExfaceganException("no run in " + root + " (no " + RunLayout.MARKER + " marker there): a task writes "
                    + "only into the run folder its driver prepared; is the output folder shared by every node?");
        }
        return new RunFolder(root, null, null, "t" + Long.toHexString(new java.security.SecureRandom().nextLong()) + "-");
    }

    /**
     * Takes a folder for a run: creates it if needed, refuses a non-empty folder that holds no run
     * of ours (nothing is written or deleted there), takes the lock and marks the folder as a run's.
     */
    public static RunFolder open(Path dir) {
        return open(dir, true);
    }

    /**
     * Refuses, as {@link #open} would, a folder a run may not take (a non-empty folder that holds no
     * run of ours); reads only.
     */
    public static void checkUsable(Path dir) {
        FolderClaim.inspect(dir.toAbsolutePath().normalize());
    }

    /** Takes the folder of an existing run (for checking it): a folder holding no run is refused, nothing is created. */
    public static RunFolder openExisting(Path dir) {
        return open(dir, false);
    }

    private static RunFolder open(Path dir, boolean create) {
        Path root = dir.toAbsolutePath().normalize();
        OwnedFolder.Kind kind = FolderClaim.inspect(root);
        if (!create && kind == OwnedFolder.Kind.NEW) {
            throw new ExfaceganException("no run in " + root + " (no " + RunLayout.MARKER + " marker there)");
        }
        try {
            Files.createDirectories(root);
            if (kind == OwnedFolder.Kind.NEW) {
                // first, before anything else is written: a run killed at any later moment leaves a folder marked as its own
                FolderClaim.mark(root);
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot create output folder " + root + ": " + describe(e), e);
        }
        Path lockFile = confined(root, RunLayout.LOCK);
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ExfaceganException("cannot write in output folder " + root + ": " + describe(e), e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ExfaceganException("cannot lock output folder " + root + ": " + describe(e), e);
        }
        if (lock == null) {
            String holder = readHolder(lockFile);
            closeQuietly(ch);
            throw new ExfaceganException("output folder " + root + " is in use by another run (" + holder
                    + "); wait for it to finish or choose another output folder");
        }
        RunFolder folder = new RunFolder(root, ch, lock, "");
        try {
            byte[] me = (ManagementFactory.getRuntimeMXBean().getName() + " since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(true);
            if (kind == OwnedFolder.Kind.EARLIER_VERSION && create) {
                FolderClaim.mark(root);
            }
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e instanceof IOException io ? new ExfaceganException("cannot write in output folder " + root + ": "
                    + describe(io), io) : (RuntimeException) e;
        }
        return folder;
    }

    /**
     * Whether the folder holds anything a run computed: any file besides the marker, the lock,
     * run.json and temporaries. A run that failed before computing anything leaves none, and the
     * next try takes the folder whatever its config.
     */
    public boolean holdsResults() {
        return holdsResults(root);
    }

    /** {@link #holdsResults()} of the folder {@code dir} (false when it does not exist); reads only. */
    public static boolean holdsResults(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (var files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString())
                    .anyMatch(rel -> !RunLayout.BOOKKEEPING.contains(rel) && !rel.startsWith(RunLayout.TEMPORARIES + "/"));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ExfaceganException("cannot read output folder " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes what a killed run was writing. Every temporary a run creates lives in its own
     * {@value RunLayout#TEMPORARIES} folder, so nothing else is ever deleted as a left-over.
     */
    public void clearTemporaries() {
        if (lock == null) {
            throw new IllegalStateException("a task's view of " + root + " must not clear the run's temporaries: its driver does");
        }
        Path tmp = confined(root, RunLayout.TEMPORARIES);
        try {
            deleteTree(tmp);
        } catch (IOException e) {
            throw new ExfaceganException("cannot clean unfinished files in " + tmp + ": " + describe(e), e);
        }
    }

    /**
     * A fresh path in the temporaries folder for a file or folder that will be renamed to
     * {@code relative} when complete (same file system, so the rename is atomic).
     */
    public Path temporary(String relative) {
        Path tmpDir = confined(root, RunLayout.TEMPORARIES);
        try {
            Files.createDirectories(tmpDir);
        } catch (IOException e) {
            throw new ExfaceganException("cannot write in output folder " + root + ": " + describe(e), e);
        }
        return confined(root, RunLayout.TEMPORARIES + "/" + temporaryPrefix + sequence.incrementAndGet() + "-"
                + relative.replace('/', '_'));
    }

    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

    /** Renames a finished temporary into place, creating the folders above it. */
    public void publish(Path temporary, String relative) throws IOException {
        Path target = resolve(relative);
        Files.createDirectories(target.getParent());
        moveAtomically(temporary, target);
    }

    /** Deletes one file of the run, if present. */
    public void delete(String relative) {
        try {
            deleteTree(resolve(relative));
        } catch (IOException e) {
            throw new ExfaceganException("cannot delete " + resolve(relative) + ": " + describe(e), e);
        }
    }

    /** One line saying what the folder holds besides the marker and the lock: what a restart deletes. */
    public String describeContents() {
        long files = 0;
        long bytes = 0;
        List<String> top = new java.util.ArrayList<>();
        try (var entries = Files.list(root)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.equals(RunLayout.MARKER) || name.equals(RunLayout.LOCK)) {
                    continue;
                }
                long[] n = count(p);
                files += n[0];
                bytes += n[1];
                top.add(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? name + "/ (" + n[0] + " files)" : name);
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot read output folder " + root + ": " + describe(e), e);
        }
        return String.format(java.util.Locale.ROOT, "%d files, %.1f MiB: %s", files, bytes / 1048576.0,
                top.isEmpty() ? "nothing" : String.join(", ", top));
    }

    private static long[] count(Path p) throws IOException {
        long[] n = new long[2];
        try (var s = Files.walk(p)) {
            for (Path f : s.filter(q -> !Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS)).toList()) {
                n[0]++;
                n[1] += Files.size(f);
            }
        }
        return n;
    }

    /** Deletes everything of the run but the marker and the lock (for a restart; the lock is held). */
    public void discardRun() {
        try (var entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(RunLayout.MARKER) && !name.equals(RunLayout.LOCK)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot delete the earlier run in " + root + ": " + describe(e), e);
        }
    }

    /** Deletes a file or a folder with its content (links themselves, never what they point to); nothing when absent. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static String readHolder(Path lockFile) {
        try {
            String s = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "holder unknown" : "process " + s;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    public Path root() {
        return root;
    }

    /** A path inside the folder (see {@link #confined}). */
    public Path resolve(String relative) {
        return confined(root, relative);
    }

    public boolean exists(String relative) {
        return Files.exists(resolve(relative), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * {@code relative} under {@code root}, refusing a name that leaves the folder and any symbolic
     * link between the folder and the file: a link planted inside the output folder could point
     * anywhere, and a run must never write outside its folder. (The folder itself may be a link.)
     */
    static Path confined(Path root, String relative) {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new ExfaceganException("refusing to use \"" + relative + "\": it is not inside the output folder " + root);
        }
        for (Path p = target; !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                String to;
                try {
                    to = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    to = "?";
                }
                throw new ExfaceganException("output folder " + root + " holds a symbolic link " + p + " -> " + to
                        + "; a run never follows links inside its output folder (they could lead outside it): remove the link");
            }
        }
        return target;
    }

    /** Writes a file atomically (temporary file in the same folder, forced to disk, then rename). */
    public void writeAtomically(String relative, byte[] content) {
        write(relative, content, true);
    }

    /**
     * Writes a file atomically without forcing it to disk: for the many small files of one identity,
     * whose image folder is published unforced too (a killed process loses nothing the page cache
     * holds; an fsync costs 1-40 ms each on the benchmark machine: BENCHMARKS.md).
     */
    public void writeAtomicallyUnforced(String relative, byte[] content) {
        write(relative, content, false);
    }

    private void write(String relative, byte[] content, boolean force) {
        Path target = resolve(relative);
        Path tmp = temporary(relative);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                if (force) {
                    out.force(true);
                }
            }
            publish(tmp, relative);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp); // give back the space
            } catch (IOException ignored) {
                // the next run clears the temporaries
            }
            throw new ExfaceganException("cannot write " + target + ": " + describe(e), e);
        }
    }

    public void writeAtomically(String relative, String text) {
        writeAtomically(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A file of the run as text. */
    public String readString(String relative) {
        Path p = resolve(relative);
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + p + ": " + describe(e), e);
        }
    }

    /** A JSON file of the run, bound strictly to its record ({@link Json#read}). */
    public <T> T read(String relative, Class<T> type) {
        return Json.read(resolve(relative), type, "run file");
    }

    /** A JSON-lines file of the run, each line bound strictly to its record ({@link Json#readLines}). */
    public <T> List<T> readLines(String relative, Class<T> type) {
        return Json.readLines(resolve(relative), type, "run file");
    }

    /** Renames a finished temporary folder or file into place. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** "No space left on device" and friends, as the file system said it. */
    public static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        if (lock == null) {
            return; // a task's view holds nothing
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through it that is still needed
        }
    }
}
