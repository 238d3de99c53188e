package org.exfacegan.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Shared helpers: the repository root, memory readings, medians, and the list of targets met or missed. */
final class Bench {
    private Bench() {}

    /** One target: what, the measured value, the bound, and whether it was met. */
    record Target(String what, String measured, String bound, boolean met) {}

    static final List<Target> TARGETS = new ArrayList<>();

    static void target(String what, String measured, String bound, boolean met) {
        TARGETS.add(new Target(what, measured, bound, met));
    }

    /** The checkout's root: the working directory the bench profile runs in, found by models/demo. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("models/demo")) && Files.isRegularFile(q.resolve("pom.xml"))) {
                return q;
            }
        }
        throw new IllegalStateException("run from the repository checkout: no models/demo above " + p);
    }

    static Path demo(String rel) {
        return root().resolve("models/demo").resolve(rel);
    }

    /** A line of /proc/self/status in kB (VmRSS, VmHWM), -1 when unreadable. */
    static long procKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The largest memory use any garbage collection left behind from now on (what was live), summed over
     * every pool a collector reports, or over the heap pools only.
     */
    static AtomicLong maxUsedAfterGc(boolean heapOnly) {
        Set<String> heap = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap.add(pool.getName());
            }
        }
        AtomicLong max = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    long used = 0;
                    for (var e : GarbageCollectionNotificationInfo.from(
                            (CompositeData) n.getUserData()).getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (!heapOnly || heap.contains(e.getKey())) {
                            used += e.getValue().getUsed();
                        }
                    }
                    max.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        return max;
    }

    /** The heap pools' peak use since the JVM started, garbage included, in bytes. */
    static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double memTotalGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
