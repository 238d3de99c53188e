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

/**
 * The output folder of one run. Holds an exclusive lock for the run's lifetime (a second run on
 * the same folder is refused, naming the holder), and writes every file atomically: a reader, or
 * a resumed run after a crash, sees a file whole or not at all.
 */
public final class RunFolder implements AutoCloseable {
    public static final String LOCK = "run.lock";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private RunFolder(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the folder if needed and takes its lock. */
    public static RunFolder open(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ExfaceganException("cannot create output folder " + root + ": " + describe(e), e);
        }
        Path lockFile = confined(root, LOCK);
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
        try {
            byte[] me = (ManagementFactory.getRuntimeMXBean().getName() + " since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(true);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ExfaceganException("cannot write in output folder " + root + ": " + describe(e), e);
        }
        RunFolder folder = new RunFolder(root, ch, lock);
        folder.removeTemporaries();
        return folder;
    }

    /** Deletes what a killed run was writing ({@code .NAME.tmp} files and folders): it is redone. */
    private void removeTemporaries() {
        try (var paths = Files.walk(root)) {
            List<Path> temporaries = paths.filter(p -> !p.equals(root))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(".") && n.endsWith(".tmp");
                    }).toList();
            for (Path t : temporaries) {
                deleteTree(t);
            }
        } catch (IOException e) {
            close();
            throw new ExfaceganException("cannot clean unfinished files in " + root + ": " + describe(e), e);
        }
    }

    /** Deletes a file or a folder with its content; nothing when absent. */
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
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
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
            moveAtomically(tmp, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(target.resolveSibling("." + target.getFileName() + ".tmp")); // give back the space
            } catch (IOException ignored) {
                // the next write of this file truncates it
            }
            throw new ExfaceganException("cannot write " + target + ": " + describe(e), e);
        }
    }

    public void writeAtomically(String relative, String text) {
        writeAtomically(relative, text.getBytes(StandardCharsets.UTF_8));
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
