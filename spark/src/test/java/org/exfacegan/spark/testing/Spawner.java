package org.exfacegan.spark.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For {@code OrphanGuardTest}: a stand-in for the test JVM. Starts a guarded child that sleeps,
 * prints the child's process id, and sleeps itself until it is killed.
 *
 * <p>Argument: the child's log file.
 */
public final class Spawner {
    private Spawner() {}

    public static void main(String[] args) throws Exception {
        Process child = ChildJvm.start(Sleeper.class.getName(), List.of("-Xmx32m"), List.of(), Map.of(), Path.of(args[0]));
        System.out.println("child " + child.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Sleeps until killed (or until its guard ends it). */
    public static final class Sleeper {
        private Sleeper() {}

        public static void main(String[] args) throws Exception {
            System.out.println("sleeping");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
