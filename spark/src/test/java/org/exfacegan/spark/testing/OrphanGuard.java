package org.exfacegan.spark.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs a main class in a child JVM that ends itself when the test JVM that started it is gone (a
 * test JVM killed by a timeout never leaves a Spark master or worker running). Spark's executors
 * end with their worker on their own (WorkerWatcher).
 *
 * <p>Arguments: the parent's process id, the main class, its arguments.
 */
public final class OrphanGuard {
    private OrphanGuard() {}

    public static void main(String[] args) throws Throwable {
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(args[0]));
        if (parent.isEmpty() || !parent.get().isAlive()) {
            Runtime.getRuntime().halt(3);
        }
        parent.get().onExit().thenRun(() -> Runtime.getRuntime().halt(3));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
