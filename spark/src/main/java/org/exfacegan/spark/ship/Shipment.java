package org.exfacegan.spark.ship;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;

/**
 * How executors find the shipped plugins and models, and what they must hash to. Tasks carry it.
 *
 * @param archiveAlias the alias of an archive Spark unpacked into each executor's working folder
 *                     ({@code --archives payload.zip#ALIAS}, or {@link Payload#ship}); null for a shared folder
 * @param sharedFolder a folder every node sees at the same path (NFS, a mounted volume); null for an archive
 * @param manifest     the driver's files and hashes
 */
public record Shipment(String archiveAlias, String sharedFolder, Manifest manifest) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Shipment {
        if ((archiveAlias == null) == (sharedFolder == null)) {
            throw new IllegalArgumentException("a shipment is an archive or a shared folder, exactly one");
        }
    }

    public static Shipment archive(String alias, Manifest manifest) {
        return new Shipment(alias, null, manifest);
    }

    public static Shipment sharedFolder(Path folder, Manifest manifest) {
        return new Shipment(null, folder.toAbsolutePath().normalize().toString(), manifest);
    }

    /** Where the files are on this JVM (an executor's unpacked archive, or the shared folder). */
    public Path folder() {
        return Path.of(archiveAlias != null ? SparkFiles.get(archiveAlias) : sharedFolder);
    }

    String describe() {
        return archiveAlias != null ? "archive '" + archiveAlias + "'" : "shared folder " + sharedFolder;
    }
}
