package org.exfacegan.spark.ship;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.spark.store.StorePaths;

/**
 * The files every executor needs (plugin jars, model files), by the name they have in the shipped
 * folder, with the SHA-256 the driver computed: what each executor checks its copy against.
 *
 * @param sha256 name ('/'-separated, relative) -> hex SHA-256
 */
public record Manifest(SortedMap<String, String> sha256) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Manifest {
        if (sha256.isEmpty()) {
            throw new ExfaceganException("nothing to ship: the manifest of plugins and models is empty");
        }
        sha256.keySet().forEach(StorePaths::check);
        sha256 = Collections.unmodifiableSortedMap(new TreeMap<>(sha256));
    }

    /** Hashes the driver's files. */
    public static Manifest of(Map<String, Path> files) {
        SortedMap<String, String> sha = new TreeMap<>();
        files.forEach((name, file) -> {
            try {
                sha.put(name, Sha256.of(file));
            } catch (IOException e) {
                throw new ExfaceganException("cannot read " + file + " to ship it as " + name + ": " + RunFolder.describe(e), e);
            }
        });
        return new Manifest(sha);
    }
}
