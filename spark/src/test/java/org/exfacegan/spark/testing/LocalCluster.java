package org.exfacegan.spark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and workers, each a separate JVM running
 * Spark's own {@code org.apache.spark.deploy.master.Master} / {@code ...worker.Worker} from the test
 * class path. Workers start executors as Spark does, from a Spark home laid out like an
 * installation ({@code jars/} links to the class path's jars, {@code conf/}). Every process it
 * started, executors included, is killed by {@link #close()}; {@link OrphanGuard} ends the master
 * and workers if the test JVM dies first.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final int masterPort;
    private final List<Process> processes = new ArrayList<>(); // master first, then the workers
    private final List<Path> logs = new ArrayList<>();
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    private LocalCluster(Path dir, int masterPort) {
        this.dir = dir;
        this.masterPort = masterPort;
    }

    /**
     * @param workerGpus per worker, the GPU addresses its fake discovery script reports (empty: no GPU resource)
     */
    public static LocalCluster start(Path dir, List<List<String>> workerGpus) {
        LocalCluster c = new LocalCluster(dir, freePort());
        try {
            Path sparkHome = c.sparkHome();
            Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
                    "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_HOSTNAME", "127.0.0.1", "SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
            c.launch("master", "org.apache.spark.deploy.master.Master", List.of("-Xmx256m"),
                    List.of("--host", "127.0.0.1", "--port", Integer.toString(c.masterPort), "--webui-port", Integer.toString(freePort())), env);
            waitForPort(c.masterPort, c);
            for (int i = 0; i < workerGpus.size(); i++) {
                List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
                if (!workerGpus.get(i).isEmpty()) {
                    jvm.add("-Dspark.worker.resource.gpu.amount=" + workerGpus.get(i).size());
                    jvm.add("-Dspark.worker.resource.gpu.discoveryScript=" + c.discoveryScript(i, workerGpus.get(i)));
                }
                Path work = Files.createDirectories(dir.resolve("worker-" + i));
                c.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", jvm,
                        List.of("--host", "127.0.0.1", "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory", "640m",
                                "--work-dir", work.toString(), c.masterUrl()), env);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    public ProcessHandle worker(int i) {
        return processes.get(1 + i).toHandle();
    }

    /** The worker whose process tree holds {@code pid} (an executor's), or -1. */
    public int workerOf(long pid) {
        for (int i = 0; i + 1 < processes.size(); i++) {
            if (worker(i).descendants().anyMatch(p -> p.pid() == pid)) {
                return i;
            }
        }
        return -1;
    }

    /** A lost machine: the worker and its executors killed with SIGKILL. Returns the processes killed. */
    public List<ProcessHandle> killWorker(int i) {
        List<ProcessHandle> tree = new ArrayList<>(worker(i).descendants().toList());
        tree.add(0, worker(i));
        seen.addAll(tree);
        ChildJvm.killTree(worker(i));
        return tree;
    }

    /** Every process the cluster started that is still alive (none after close()). */
    public List<ProcessHandle> alive() {
        remember();
        return seen.stream().filter(ProcessHandle::isAlive).toList();
    }

    /** The logs of the master, the workers and the executors, last lines of each: for a failure message. */
    public String logTails() {
        StringBuilder b = new StringBuilder();
        List<Path> all = new ArrayList<>(logs);
        try (var s = Files.walk(dir)) {
            s.filter(p -> p.getFileName().toString().equals("stderr")).forEach(all::add);
        } catch (IOException ignored) {
            // what we have is enough
        }
        for (Path log : all) {
            b.append("\n--- ").append(log).append('\n').append(ChildJvm.tail(log, 25));
        }
        return b.toString();
    }

    @Override
    public void close() {
        remember();
        for (int i = processes.size() - 1; i >= 0; i--) {
            ChildJvm.killTree(processes.get(i).toHandle());
        }
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    private void remember() {
        for (Process p : processes) {
            seen.add(p.toHandle());
            p.toHandle().descendants().forEach(seen::add);
        }
    }

    private void launch(String name, String mainClass, List<String> jvm, List<String> args, Map<String, String> env) {
        Path log = dir.resolve(name + ".log");
        logs.add(log);
        processes.add(ChildJvm.start(mainClass, jvm, args, env, log));
    }

    /** SPARK_HOME as an installation lays it out: jars/ (links to the class path's jars) and conf/. */
    private Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        for (String entry : ChildJvm.classPath()) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        return home;
    }

    /** The class path's folders (target/classes, target/test-classes): what executors need besides jars/. */
    public static String classFolders() {
        return String.join(java.io.File.pathSeparator, ChildJvm.classPath().stream().filter(e -> Files.isDirectory(Path.of(e))).toList());
    }

    private Path discoveryScript(int worker, List<String> addresses) throws IOException {
        Path script = dir.resolve("gpus-worker-" + worker + ".sh");
        String json = "{\"name\":\"gpu\",\"addresses\":[" + String.join(",", addresses.stream().map(a -> "\"" + a + "\"").toList()) + "]}";
        Files.writeString(script, "#!/bin/sh\n# a fake GPU discovery script: what nvidia-smi would report\necho '" + json + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitForPort(int port, LocalCluster c) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!c.processes.get(0).isAlive()) {
                    throw new IllegalStateException("the Spark master exited:" + c.logTails());
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("the Spark master did not open port " + port + " within " + START_TIMEOUT + c.logTails());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
