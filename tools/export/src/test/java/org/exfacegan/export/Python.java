package org.exfacegan.export;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A python3 that imports torch and numpy, for running the export scripts: $EXFACEGAN_PYTHON when set,
 * else python3 on the PATH or Debian's /usr/bin/python3 (where apt-get's python3-torch lives). Without
 * one the tests are skipped with a message, unless EXFACEGAN_REQUIRE_TORCH=1 (set by .ci/run after
 * installing python3-torch), which turns the skip into a failure.
 */
final class Python {
    static final String REQUIRE = "EXFACEGAN_REQUIRE_TORCH";
    private static final long TIMEOUT_SECONDS = 300;
    private static String found;
    private static String tried;

    private Python() {}

    /** The interpreter, or the test is skipped (failed under EXFACEGAN_REQUIRE_TORCH=1). */
    static synchronized String withTorch() {
        if (found == null && tried == null) {
            Set<String> candidates = new LinkedHashSet<>();
            String env = System.getenv("EXFACEGAN_PYTHON");
            if (env != null && !env.isBlank()) {
                candidates.add(env); // the user's choice, and the only one
            } else {
                candidates.add("python3");
                candidates.add("/usr/bin/python3");
            }
            List<String> failures = new ArrayList<>();
            for (String c : candidates) {
                Result r = tryRun(c, Path.of(""), Map.of(), "-c", "import torch, numpy; print(torch.__version__)");
                if (r != null && r.exitCode() == 0) {
                    found = c;
                    System.out.println("export script tests: " + c + " with torch " + r.output().strip());
                    break;
                }
                failures.add(c + (r == null ? ": not found" : ": " + lastLine(r.output())));
            }
            if (found == null) {
                tried = String.join("; ", failures);
            }
        }
        if (found == null) {
            String message = "no python3 with torch and numpy (" + tried + "); the export script tests need one: "
                    + "apt-get install python3-torch, or set EXFACEGAN_PYTHON";
            if ("1".equals(System.getenv(REQUIRE))) {
                fail(message + " (" + REQUIRE + "=1 requires them)");
            }
            assumeTrue(false, message);
        }
        return found;
    }

    record Result(int exitCode, String output) {}

    /** Runs the interpreter with args in dir (extra environment in env), stdout and stderr together. */
    static Result run(Path dir, Map<String, String> env, String... args) {
        Result r = tryRun(withTorch(), dir, env, args);
        if (r == null) {
            throw new IllegalStateException("python disappeared: " + found);
        }
        return r;
    }

    private static Result tryRun(String python, Path dir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(python));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toAbsolutePath().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
        Path log = null;
        try {
            log = Files.createTempFile("exfacegan-python-", ".log");
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2")) {
                return null; // no such program
            }
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    log.toFile().deleteOnExit();
                }
            }
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
