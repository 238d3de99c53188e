package org.exfacegan.spark.ship;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.run.RunFolder;

/**
 * The driver's side of shipping: packs plugin jars and model files into one archive that Spark
 * copies to every executor and unpacks there (what {@code spark-submit --archives} does), and
 * hashes them for the executors' provenance check.
 */
public final class Payload {
    private Payload() {}

    /**
     * Packs the files under their names into {@code zip}, hashes them, and hands the archive to Spark.
     *
     * @param files name in the shipped folder (e.g. {@code plugins/stylegan2.jar}) -> the driver's file
     */
    public static Shipment ship(JavaSparkContext sc, String alias, Map<String, Path> files, Path zip) {
        Manifest manifest = Manifest.of(files);
        writeArchive(files, zip);
        sc.sc().addArchive(zip.toAbsolutePath().toUri() + "#" + alias);
        return Shipment.archive(alias, manifest);
    }

    /** A zip of the files, entries sorted and dated 1980-01-01: the same files give the same bytes. */
    public static void writeArchive(Map<String, Path> files, Path zip) {
        SortedMap<String, Path> sorted = new TreeMap<>(files);
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, Path> f : sorted.entrySet()) {
                ZipEntry e = new ZipEntry(f.getKey());
                e.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
                z.putNextEntry(e);
                Files.copy(f.getValue(), z);
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot pack the plugins and models into " + zip + ": " + RunFolder.describe(e), e);
        }
    }
}
