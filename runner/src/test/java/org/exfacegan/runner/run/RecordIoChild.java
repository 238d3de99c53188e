package org.exfacegan.runner.run;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.config.DatasetConfig;

/**
 * Main class of the child JVM of {@link RecordIoTest}: writes the RecordIO files of a run folder
 * prepared by the test, then prints its peak heap (summed over heap pools) in bytes.
 * Arguments: run folder, identities, recordio format (png or jpeg).
 */
public final class RecordIoChild {
    private RecordIoChild() {}

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int identities = Integer.parseInt(args[1]);
        List<Identity> ids = new ArrayList<>();
        for (int i = 0; i < identities; i++) {
            ids.add(new Identity(i, i, i, 1));
        }
        try (RunFolder folder = RunFolder.open(root)) {
            RecordIoFiles.write(folder, ids, new DatasetConfig(null, true, null, args[2], null));
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peak heap " + peak);
    }
}
