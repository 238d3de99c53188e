package org.exfacegan.spark.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.launcher.JavaModuleOptions;

/** Starts a JVM on the test class path, with the options Spark needs on Java 17, guarded against outliving the test. */
public final class ChildJvm {
    /** Spark's SLF4J binding (Log4j 2), named so that no other provider on the class path wins. */
    public static final String SLF4J_PROVIDER = "-Dslf4j.provider=org.apache.logging.slf4j.SLF4JServiceProvider";

    private ChildJvm() {}

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path, entry by entry (surefire is set to put it in java.class.path). */
    public static List<String> classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }

    /**
     * @param log where the child's stdout and stderr go
     */
    public static Process start(String mainClass, List<String> jvmOptions, List<String> args, Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath()));
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        cmd.add(SLF4J_PROVIDER); // the runner jar's manifest class path also brings slf4j-nop
        cmd.addAll(jvmOptions);
        cmd.add(OrphanGuard.class.getName());
        cmd.add(Long.toString(ProcessHandle.current().pid()));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills a process and everything it started (SIGKILL), and waits until they are gone. */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(0, root);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + p.pid() + " did not end after SIGKILL", e);
            }
        }
    }

    /** The last lines of a log, for a failure message. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log " + log + ")";
        }
    }
}
