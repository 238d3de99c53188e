package org.exfacegan.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs this checkout's ./exfacegan as a user does: from a folder of the test's, with the packaged application. */
final class Launch {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The packaged application (the pom passes it; the same default as the launcher's). */
    static final Path APP = Path.of(System.getProperty("exfacegan.app.dir", ROOT.resolve("dist/target/exfacegan").toString()));

    record Result(int code, String out, String err) {}

    private Launch() {}

    /** The launcher's exit code, stdout and stderr; {@code env} adds to (null values remove from) the environment. */
    static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(APP.resolve("exfacegan.jar")), "the application is not packaged: " + APP);
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("exfacegan").toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("EXFACEGAN_JAVA_OPTS");
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish: " + cmd);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
