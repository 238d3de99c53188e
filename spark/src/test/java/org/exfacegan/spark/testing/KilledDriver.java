package org.exfacegan.spark.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.exfacegan.spark.SparkMain;
import org.exfacegan.spark.run.SparkUnits;

/** A {@link SparkMain} driver in its own JVM on {@code local[2]}, SIGKILLed once it has published enough identities. */
public final class KilledDriver {
    private KilledDriver() {}

    /**
     * Starts the driver on {@code config} (identities in tasks of 2), waits until {@code published} reaches
     * {@code atLeast}, then kills it with its children. The driver ending by itself first fails the test.
     *
     * @param extraJvmOptions further -D settings (e.g. the store the run writes to)
     */
    public static void runUntil(Path dir, Path config, List<String> extraJvmOptions, IntSupplier published, int atLeast) {
        Path log = dir.resolve("driver.log");
        List<String> jvm = new ArrayList<>(List.of(
                // -Xss: with the test class path (188 entries) the JVM's main thread segfaulted while opening the ONNX models
                // (exit 139, also for the plain runner's validate; not with the launcher's class path): an 8 MiB stack is enough
                "-Xmx768m", "-Xss8m", "-Dspark.master=local[2]", "-D" + SparkUnits.IDENTITIES_PER_TASK + "=2",
                "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"));
        jvm.addAll(extraJvmOptions);
        Process driver = ChildJvm.start(SparkMain.class.getName(), jvm,
                List.of("--plugins", dir.resolve("no-plugins").toString(), config.toString()), Map.of(), log);
        try {
            Waits.until("the first driver to publish some identities", Duration.ofSeconds(400), () -> {
                if (!driver.isAlive()) {
                    throw new AssertionError("the driver ended (exit code " + driver.exitValue() + ") before it was killed:\n"
                            + ChildJvm.tail(log, 40));
                }
                return published.getAsInt() >= atLeast;
            }, () -> "\n" + ChildJvm.tail(log, 40));
        } finally {
            ChildJvm.killTree(driver.toHandle());
        }
    }
}
