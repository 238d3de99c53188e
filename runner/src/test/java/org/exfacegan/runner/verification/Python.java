package org.exfacegan.runner.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs our Python reference scripts (test resources under verification/); skips the test when python3 or NumPy is missing. */
final class Python {
    private Python() {}

    /** Copies the resource script into {@code dir} and runs it with {@code args}; returns its stdout. */
    static String run(Path dir, String script, String... args) throws IOException, InterruptedException {
        Path file = dir.resolve(script);
        if (!Files.exists(file)) {
            try (InputStream in = Python.class.getResourceAsStream("/verification/" + script)) {
                Files.copy(in, file);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("python3", file.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 not found: skipping the comparison with Python (" + e.getMessage() + ")");
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), script + " did not finish");
        Assumptions.assumeTrue(!out.contains("No module named 'numpy'"), "NumPy is not installed for python3: skipping");
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        return out;
    }
}
