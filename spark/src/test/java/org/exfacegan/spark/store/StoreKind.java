package org.exfacegan.spark.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;

/** Every store the tests run against; each writes into a local folder so the tests can see the bytes on disk. */
enum StoreKind {
    /** java.nio, as the runner writes today. */
    LOCAL,
    /** Hadoop through a file:// URI: the raw local file system, renames. */
    HADOOP_FILE_URI,
    /** Hadoop's default, checksummed local file system (writes .crc side files), renames. */
    HADOOP_CHECKSUMMED_LOCAL,
    /** Hadoop's raw local file system told it cannot rename atomically: the object-store path (s3a). */
    HADOOP_OBJECT_STORE_MODE;

    OutputStore open(Path dir) {
        Configuration conf = new Configuration();
        switch (this) {
            case LOCAL:
                return new LocalStore(dir);
            case HADOOP_FILE_URI:
                return HadoopStore.open(dir.toUri(), conf);
            case HADOOP_CHECKSUMMED_LOCAL:
                try {
                    LocalFileSystem checksummed = FileSystem.getLocal(conf);
                    return new HadoopStore(checksummed, new org.apache.hadoop.fs.Path(dir.toUri()), true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            case HADOOP_OBJECT_STORE_MODE:
                conf.set(HadoopStore.ATOMIC_RENAME_KEY, "false");
                return HadoopStore.open(dir.toUri(), conf);
            default:
                throw new AssertionError(this);
        }
    }

    boolean writesChecksumFiles() {
        return this == HADOOP_CHECKSUMMED_LOCAL;
    }
}
