package org.exfacegan.spark.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.RunFolder;

/**
 * A store in a local folder through {@code java.nio}, as the runner writes: a temporary in the
 * root's temporaries folder ({@link StorePaths#temporary}) renamed into place. Temporary names carry
 * a random part, so two writers of the same file (a retried task and its duplicate) never write into
 * each other's temporary. Symbolic
 * links inside the root are refused, never followed (the root itself may be a link).
 */
public final class LocalStore implements OutputStore {
    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    @Override
    public boolean atomicRename() {
        return true;
    }

    @Override
    public void create() {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ExfaceganException("cannot create output folder " + root + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public void write(String path, byte[] content) {
        Path target = resolve(path);
        Path tmp = temporaryFor(path);
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectories(tmp.getParent());
            Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            move(tmp, target, true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ExfaceganException("cannot write " + target + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public boolean writeFolder(String dir, SortedMap<String, byte[]> files) {
        Path target = resolve(dir);
        Path staging = temporaryFor(dir);
        try {
            Files.createDirectories(target.getParent());
            Files.createDirectories(staging.getParent());
            Files.createDirectory(staging);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(StorePaths.checkName(f.getKey())), f.getValue(), StandardOpenOption.CREATE_NEW);
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                deleteQuietly(staging);
                return false;
            }
            try {
                move(staging, target, false);
                return true;
            } catch (IOException e) {
                if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                deleteQuietly(staging); // another writer renamed its copy in first ("Directory not empty")
                return false;
            }
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new ExfaceganException("cannot write folder " + target + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public byte[] read(String path) {
        Path file = resolve(path);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ExfaceganException("no file " + file + " in store " + location());
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public List<String> list(String dir) {
        Path folder = dir.isEmpty() ? root : resolve(dir);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ExfaceganException("cannot list " + folder + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public void delete(String path) {
        Path p = resolve(path);
        try {
            RunFolder.deleteTree(p);
        } catch (IOException e) {
            throw new ExfaceganException("cannot delete " + p + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public int removeTemporaries() {
        Path folder = root.resolve(RunLayout.TEMPORARIES);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(folder)) {
            int n = (int) s.count();
            RunFolder.deleteTree(folder);
            return n;
        } catch (IOException e) {
            throw new ExfaceganException("cannot clean unfinished files in " + folder + ": " + RunFolder.describe(e), e);
        }
    }

    @Override
    public void close() {
        // nothing held
    }

    private Path temporaryFor(String path) {
        return root.resolve(StorePaths.temporary(path));
    }

    /** {@code path} under the root, refusing any symbolic link between the root and it. */
    private Path resolve(String path) {
        Path target = root.resolve(StorePaths.check(path)).normalize();
        for (Path p = target; p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new ExfaceganException("store " + root + " holds a symbolic link " + p
                        + "; links inside an output folder are never followed (they could lead outside it): remove it");
            }
        }
        return target;
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        StandardCopyOption[] atomic = replace
                ? new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING}
                : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE};
        try {
            Files.move(from, to, atomic);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename " + from.getFileName() + " atomically", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            RunFolder.deleteTree(p);
        } catch (IOException ignored) {
            // a leftover temporary is removed by the next removeTemporaries()
        }
    }
}
