package org.exfacegan.spark.store;

import java.util.List;
import java.util.SortedMap;

/**
 * Where a run writes its outputs: a local folder ({@link LocalStore}) or any Hadoop file system
 * ({@link HadoopStore}: {@code file://}, {@code hdfs://}, {@code s3a://}, ...).
 *
 * <p>Paths are relative to the store's root and '/'-separated; they are made by the runner, never
 * taken from input. Names starting with '.' belong to the store (temporaries) and are refused.
 *
 * <p>Every {@link #write} is atomic: a reader sees the file whole or not at all. Where the store can
 * rename atomically ({@link #atomicRename()}: a local disk, HDFS) a temporary is renamed into place;
 * on an object store a single PUT is atomic by itself. What belongs together (an identity's images
 * and metadata) is published with {@link Publisher}, which adds a completion marker readers trust.
 * Errors are {@link org.exfacegan.api.ExfaceganException}s naming the file and the system's reason.
 */
public interface OutputStore extends AutoCloseable {

    /** The root as a URI, for messages ("file:/data/run", "s3a://bucket/run"). */
    String location();

    /**
     * Whether a folder can be renamed into place atomically, so that it appears whole or not at all
     * (local disks, HDFS). Object stores cannot: there a rename is a copy.
     */
    boolean atomicRename();

    /** Creates the root if needed; fails naming it when the store cannot be written. */
    void create();

    /** Writes (or replaces) one file atomically, creating the folders above it. */
    void write(String path, byte[] content);

    /**
     * Writes a folder of files that appears whole or not at all (staged under a temporary name, then
     * renamed into place). Only where {@link #atomicRename()}.
     *
     * @param files name inside the folder -> content
     * @return false when the folder already existed (another writer's is kept, ours discarded)
     */
    boolean writeFolder(String dir, SortedMap<String, byte[]> files);

    /** The content of a file; an error naming it when it is absent. */
    byte[] read(String path);

    /** Whether a file or folder exists at {@code path}. */
    boolean exists(String path);

    /**
     * Names of the files and folders directly in {@code dir} ({@code ""}: the root), sorted; empty when
     * it is absent. Temporaries are not listed.
     */
    List<String> list(String dir);

    /** Deletes a file, or a folder with everything in it; nothing when absent. */
    void delete(String path);

    /**
     * Deletes what killed writers left behind (temporary files, staged folders). Only safe while
     * nothing writes to the store: a driver calls it before it starts the tasks.
     *
     * @return how many temporaries were deleted
     */
    int removeTemporaries();

    @Override
    void close();
}
