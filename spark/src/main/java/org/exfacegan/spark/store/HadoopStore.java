package org.exfacegan.spark.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.run.RunFolder;

/**
 * A store on any Hadoop {@link FileSystem}: {@code file://}, {@code hdfs://}, {@code s3a://} (with
 * {@code hadoop-aws} on the class path), ...
 *
 * <p>Where the file system renames atomically (local disks, HDFS: {@link #RENAMING_SCHEMES}) a file
 * is written to a temporary beside it and renamed into place, and a folder is staged and renamed.
 * On an object store a file is written in place: the object appears when its upload completes, whole.
 * {@code exfacegan.store.atomic-rename} in the Hadoop configuration overrides the choice for a
 * scheme this class does not know.
 *
 * <p>For {@code file://} the raw local file system is used: Hadoop's default local file system adds
 * a hidden {@code .NAME.crc} beside every file, and the layout must equal a local run's.
 */
public final class HadoopStore implements OutputStore {
    /** Schemes whose file systems rename files and folders atomically. */
    public static final Set<String> RENAMING_SCHEMES = Set.of("file", "hdfs", "viewfs");
    public static final String ATOMIC_RENAME_KEY = "exfacegan.store.atomic-rename";

    private final FileSystem fs;
    private final Path root;
    private final boolean atomicRename;

    public HadoopStore(FileSystem fs, Path root, boolean atomicRename) {
        this.fs = fs;
        this.root = fs.makeQualified(root);
        this.atomicRename = atomicRename;
    }

    /** The store at {@code uri} (an absolute URI with a scheme), with the file system's usual rename semantics. */
    public static HadoopStore open(URI uri, Configuration conf) {
        String scheme = uri.getScheme();
        if (scheme == null || !uri.isAbsolute()) {
            throw new ExfaceganException("output store \"" + uri + "\" needs a scheme: file:///..., hdfs://host/..., s3a://bucket/...");
        }
        FileSystem fs;
        try {
            fs = FileSystem.get(uri, conf);
        } catch (IOException | RuntimeException e) {
            throw new ExfaceganException("cannot open output store " + uri + ": " + reason(e)
                    + (scheme.equals("s3a") ? " (s3a needs org.apache.hadoop:hadoop-aws and its AWS SDK on the class path)" : ""), e);
        }
        if (fs instanceof ChecksumFileSystem checksummed) {
            fs = checksummed.getRawFileSystem();
        }
        String override = conf.get(ATOMIC_RENAME_KEY);
        boolean renames = override != null ? Boolean.parseBoolean(override.strip())
                : RENAMING_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
        return new HadoopStore(fs, new Path(uri), renames);
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public boolean atomicRename() {
        return atomicRename;
    }

    @Override
    public void create() {
        try {
            if (!fs.mkdirs(root) && !fs.getFileStatus(root).isDirectory()) {
                throw new IOException("mkdirs failed");
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot create output store " + root + ": " + reason(e), e);
        }
    }

    @Override
    public void write(String path, byte[] content) {
        Path target = resolve(path);
        if (!atomicRename) {
            try {
                put(target, content, true);
            } catch (IOException e) {
                throw new ExfaceganException("cannot write " + target + ": " + reason(e), e);
            }
            return;
        }
        Path tmp = temporaryFor(path);
        try {
            put(tmp, content, false);
            fs.mkdirs(target.getParent());
            if (!fs.rename(tmp, target)) {
                replace(tmp, target, content);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new ExfaceganException("cannot write " + target + ": " + reason(e), e);
        }
    }

    /**
     * HDFS's rename does not replace an existing file. A duplicate writer finding the same bytes
     * there leaves them (no moment without the file); anything else is deleted, then renamed over.
     */
    private void replace(Path tmp, Path target, byte[] content) throws IOException {
        if (fs.exists(target) && fs.getFileStatus(target).isFile() && Arrays.equals(readAll(target), content)) {
            fs.delete(tmp, false);
            return;
        }
        fs.delete(target, true);
        if (!fs.rename(tmp, target)) {
            throw new IOException("rename of " + tmp.getName() + " failed");
        }
    }

    @Override
    public boolean writeFolder(String dir, SortedMap<String, byte[]> files) {
        if (!atomicRename) {
            throw new IllegalStateException("writeFolder needs a store that renames atomically: " + root);
        }
        Path target = resolve(dir);
        Path staging = temporaryFor(dir);
        try {
            if (!fs.mkdirs(staging) || !fs.mkdirs(target.getParent())) {
                throw new IOException("cannot create " + staging + " and " + target.getParent());
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(new Path(staging, StorePaths.checkName(f.getKey())), f.getValue(), false);
            }
            if (fs.exists(target)) {
                fs.delete(staging, true);
                return false;
            }
            boolean renamed = fs.rename(staging, target);
            // a rename onto a folder that appeared meanwhile moves ours inside it (HDFS): take ours out again
            Path nested = new Path(target, staging.getName());
            if (fs.exists(nested)) {
                fs.delete(nested, true);
                return false;
            }
            if (!renamed) {
                fs.delete(staging, true);
                if (fs.exists(target)) {
                    return false;
                }
                throw new IOException("rename of " + staging.getName() + " failed");
            }
            return true;
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new ExfaceganException("cannot write folder " + target + ": " + reason(e), e);
        }
    }

    @Override
    public byte[] read(String path) {
        Path file = resolve(path);
        try {
            return readAll(file);
        } catch (FileNotFoundException e) {
            throw new ExfaceganException("no file " + file + " in store " + location());
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + ": " + reason(e), e);
        }
    }

    @Override
    public boolean exists(String path) {
        Path p = resolve(path);
        return io("look for", p, () -> fs.exists(p));
    }

    @Override
    public List<String> list(String dir) {
        Path folder = dir.isEmpty() ? root : resolve(dir);
        try {
            FileStatus[] entries = fs.listStatus(folder);
            List<String> names = new ArrayList<>(entries.length);
            for (FileStatus s : entries) {
                String n = s.getPath().getName();
                if (!n.startsWith(".")) {
                    names.add(n);
                }
            }
            names.sort(null);
            return names;
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new ExfaceganException("cannot list " + folder + ": " + reason(e), e);
        }
    }

    @Override
    public void delete(String path) {
        Path p = resolve(path);
        io("delete", p, () -> fs.delete(p, true));
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    /** One file system call, its failure reported naming the path and the system's reason. */
    private static <T> T io(String doing, Path p, IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new ExfaceganException("cannot " + doing + " " + p + ": " + reason(e), e);
        }
    }

    @Override
    public int removeTemporaries() {
        if (!atomicRename) {
            return 0; // objects are written in place: there are no temporaries
        }
        Path folder = new Path(root, RunLayout.TEMPORARIES);
        try {
            int n = fs.listStatus(folder).length;
            fs.delete(folder, true);
            return n;
        } catch (FileNotFoundException e) {
            return 0;
        } catch (IOException e) {
            throw new ExfaceganException("cannot clean unfinished files in " + folder + ": " + reason(e), e);
        }
    }

    @Override
    public void close() {
        // the FileSystem is Hadoop's cached instance, shared by the JVM: closing it would break other users
    }

    private Path resolve(String path) {
        return new Path(root, StorePaths.check(path));
    }

    private Path temporaryFor(String path) {
        return new Path(root, StorePaths.temporary(path));
    }

    private void put(Path file, byte[] content, boolean overwrite) throws IOException {
        try (OutputStream out = fs.create(file, overwrite)) {
            out.write(content);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("a temporary of the same name exists: " + file, e);
        }
    }

    private byte[] readAll(Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // a leftover temporary is removed by the next removeTemporaries()
        }
    }

    private static String reason(Exception e) {
        return e instanceof IOException io ? RunFolder.describe(io) : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
