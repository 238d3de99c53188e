package org.exfacegan.spark.ship;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Sha256;
import org.exfacegan.runner.run.RunFolder;

/**
 * The executors' side: before a task uses the shipped plugins and models, every file is hashed and
 * compared with the driver's manifest. A file changed, missing or extra on one side fails the task
 * (and so the job) with a message naming the executor, the file and both hashes: results made with
 * other code or weights would silently mix into one dataset. Each executor JVM checks a shipment once.
 */
public final class ProvenanceCheck {
    private static final Map<Shipment, String> CHECKED = new ConcurrentHashMap<>();

    private ProvenanceCheck() {}

    /** Checks this JVM's copy of the shipment (once; later calls repeat the verdict). */
    public static void verify(Shipment shipment) {
        String problem = CHECKED.computeIfAbsent(shipment, ProvenanceCheck::check);
        if (!problem.isEmpty()) {
            throw new ExfaceganException(problem);
        }
    }

    private static String check(Shipment shipment) {
        Path folder = shipment.folder();
        List<String> differences = differences(folder, shipment.manifest());
        if (differences.isEmpty()) {
            return "";
        }
        return "provenance check failed on " + whereAmI() + ": its copy of the plugins and models (" + shipment.describe()
                + " at " + folder + ") differs from the driver's: " + String.join("; ", differences)
                + ". Ship the driver's files (docs/spark.md, 'Shipping plugins and models')";
    }

    /** What differs between the files in {@code folder} and the manifest; empty when they match. */
    static List<String> differences(Path folder, Manifest manifest) {
        SortedMap<String, String> here = new TreeMap<>();
        List<String> differences = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return List.of("the folder " + folder + " does not exist");
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                here.put(folder.relativize(p).toString().replace('\\', '/'), Sha256.of(p));
            }
        } catch (IOException e) {
            return List.of("cannot read " + folder + ": " + RunFolder.describe(e));
        }
        manifest.sha256().forEach((name, driverSha) -> {
            String mine = here.get(name);
            if (mine == null) {
                differences.add(name + " is missing here (the driver's SHA-256 is " + driverSha + ")");
            } else if (!mine.equals(driverSha)) {
                differences.add(name + " has SHA-256 " + mine + " here, the driver's is " + driverSha);
            }
        });
        here.keySet().stream().filter(n -> !manifest.sha256().containsKey(n))
                .forEach(n -> differences.add(n + " is here but not on the driver"));
        return differences;
    }

    private static String whereAmI() {
        SparkEnv env = SparkEnv.get();
        String executor = env == null ? "?" : env.executorId();
        return "executor " + executor + " (" + ManagementFactory.getRuntimeMXBean().getName() + ")";
    }
}
