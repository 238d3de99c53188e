package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refactoring changes no output: three reduced runs on the demo world (the quickstart's stylegan2,
 * stylegan3, gansformer) write files whose SHA-256 equal those recorded in tools/outputs/main.sha256
 * (every file but run.json, whose provenance names paths, jar hashes and the JVM, and run.lock).
 * The values were recorded by tools/outputs/digest.sh, which runs the same configs through the
 * command line, on main before the api split. ONNX Runtime's float sums can differ between CPUs, so
 * the comparison runs on the CPU they were recorded on; elsewhere compare two checkouts with the
 * script on one machine.
 */
class OutputsUnchangedTest {
    private static final List<String> BACKBONES = List.of("stylegan2", "stylegan3", "gansformer");

    @TempDir
    Path dir;

    @Test
    void reducedDemoRunsWriteTheRecordedFiles() throws Exception {
        List<String> recorded = Files.readAllLines(DemoModels.repositoryRoot().resolve("tools/outputs/main.sha256"));
        String cpu = recorded.stream().filter(l -> l.startsWith("# cpu: ")).findFirst().orElseThrow().substring(7);
        Assumptions.assumeTrue(cpu.equals(thisCpu()), "the hashes were recorded on " + cpu + ", this machine is " + thisCpu()
                + ": compare two checkouts here with tools/outputs/digest.sh instead");
        PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // providers on the class path
        List<String> now = new ArrayList<>();
        for (String b : BACKBONES) {
            Path config = Files.writeString(dir.resolve(b + ".json"), config(b));
            ResolvedConfig rc = new ConfigLoader(registry).load(config);
            new Pipeline(rc, registry, Progress.QUIET).run();
            now.addAll(digest(dir, "run-" + b));
        }
        now.sort((x, y) -> x.substring(66).compareTo(y.substring(66))); // by path, as LC_ALL=C sort orders them
        List<String> expected = recorded.stream().filter(l -> !l.startsWith("#")).toList();
        List<String> changed = new ArrayList<>(now);
        changed.removeAll(expected);
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(now);
        assertEquals(expected, now, "files that differ from the recording: " + changed + "; recorded but not written alike: " + missing);
    }

    /** The configs of tools/outputs/digest.sh, field for field. */
    private static String config(String b) {
        Path models = DemoModels.dir();
        String options = b.equals("gansformer") ? "\"truncation_psi\": 0.7" : "\"truncation_psi\": 0.7, \"truncation_cutoff\": 8";
        return "{\"name\": \"outputs-" + b + "\", \"seed\": 42, \"output\": \"run-" + b + "\",\n"
                + " \"backbone\": {\"type\": \"" + b + "\", \"model\": \"" + models.resolve(b).resolve("model.json")
                + "\", \"batch_size\": 8, \"options\": {" + options + "}},\n"
                + " \"recognizer\": {\"type\": \"arcface\", \"model\": \"" + models.resolve("recognizer/demo_face.onnx")
                + "\", \"batch_size\": 64, \"options\": {\"landmarks\": \"fixed\"}},\n"
                + " \"probes\": 300, \"identities\": 6, \"samples_per_identity\": 5, \"uniqueness\": 0.7, \"dataset\": {\"contact_sheet\": 6}}\n";
    }

    /** "sha256  run-b/path" for every file of the run but run.json and run.lock. */
    private static List<String> digest(Path base, String run) throws IOException {
        try (Stream<Path> files = Files.walk(base.resolve(run))) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (!name.equals("run.json") && !name.equals("run.lock")) {
                    out.add(sha256(f) + "  " + base.relativize(f).toString().replace('\\', '/'));
                }
            }
            return out;
        }
    }

    private static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This CPU as the recording names it: /proc/cpuinfo's model name and whether it has AVX-512. */
    private static String thisCpu() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return "unknown (no /proc/cpuinfo)";
        }
        List<String> lines = Files.readAllLines(info);
        String model = lines.stream().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*?:\\s*", ""))
                .orElse("unknown");
        boolean avx512 = lines.stream().anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
        return model + " (avx512f: " + (avx512 ? "yes" : "no") + ")";
    }
}
