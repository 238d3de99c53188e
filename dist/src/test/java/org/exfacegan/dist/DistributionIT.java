package org.exfacegan.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as the launcher runs it: the runner and exactly the engines of this
 * build (both, and the training command; onnxruntime alone after {@code -Donnx-only}, which the pom
 * passes on as {@code exfacegan.engines}).
 */
class DistributionIT {
    private static final List<String> ENGINES = List.of(System.getProperty("exfacegan.engines", "onnxruntime,djl-pytorch").split(","));
    private static final boolean DJL = ENGINES.contains("djl-pytorch");

    @TempDir
    Path dir;

    private static List<String> classPath() throws IOException {
        try (JarFile jar = new JarFile(Launch.APP.resolve("exfacegan.jar").toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("org.exfacegan.runner.Main", main.getValue(Attributes.Name.MAIN_CLASS));
            return Arrays.asList(main.getValue(Attributes.Name.CLASS_PATH).split(" "));
        }
    }

    private static boolean anyJarHas(List<String> jars, String entry) throws IOException {
        for (String name : jars) {
            try (JarFile jar = new JarFile(Launch.APP.resolve(name).toFile())) {
                if (jar.getEntry(entry) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void classPathIsTheRunnerAndTheEnginesOfThisBuildAndNothingElse() throws IOException {
        List<String> cp = classPath();
        Set<String> lib;
        try (Stream<Path> files = Files.list(Launch.APP.resolve("lib"))) {
            lib = files.map(f -> "lib/" + f.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(cp), lib, "lib/ holds exactly the manifest's class path (no jar of an earlier build)");
        for (String module : List.of("exfacegan-runner-", "exfacegan-runtime-0", "exfacegan-runtime-onnx-")) {
            assertTrue(cp.stream().anyMatch(j -> j.startsWith("lib/" + module)), module + " in " + cp);
        }
        assertEquals(DJL, cp.stream().anyMatch(j -> j.startsWith("lib/exfacegan-runtime-djl-")), "runtime-djl in " + cp);
        assertTrue(anyJarHas(cp, "ai/onnxruntime/OrtEnvironment.class"), "ONNX Runtime");
        assertEquals(DJL, anyJarHas(cp, "ai/djl/engine/Engine.class"), "DJL classes: " + cp);
        assertEquals(DJL, anyJarHas(cp, "native/lib/pytorch.properties"), "libtorch natives: " + cp);
        assertFalse(cp.stream().anyMatch(j -> j.startsWith("lib/exfacegan-backbone") || j.startsWith("lib/exfacegan-recognizer")),
                "plugins belong in plugins/, not on the host's class path: " + cp);
    }

    @Test
    void pluginsListsTheEnginesOfThisBuildAsBuiltIns() throws Exception {
        Path none = Files.createDirectories(dir.resolve("no-plugins"));
        Launch.Result r = Launch.run(dir, Map.of("EXFACEGAN_PLUGINS", none.toString()), "plugins");
        assertEquals(0, r.code(), r.err());
        List<String> runtimes = r.out().lines().map(l -> l.trim().split("\\s+")).filter(c -> c.length > 4 && c[1].equals("runtime"))
                .peek(c -> assertTrue(Arrays.asList(c).contains("(built-in)") && c[c.length - 1].equals("OK"), String.join(" ", c)))
                .map(c -> c[0]).toList();
        assertEquals(ENGINES, runtimes, r.out());
    }

    @Test
    void aTorchScriptModelGoesToDjlOrTheErrorSaysHowToBuildWithIt() throws Exception {
        Path model = Files.writeString(dir.resolve("model.pt"), "not a TorchScript archive");
        Launch.Result r = Launch.run(dir, Map.of(), "evaluate", "-m", model.toString(), Launch.ROOT.resolve("models/demo/benchmarks").toString());
        System.out.println("evaluate -m model.pt (engines " + ENGINES + ") -> exit " + r.code() + ": " + r.err());
        assertEquals(1, r.code(), r.err());
        if (DJL) {
            assertTrue(r.err().startsWith("error: cannot load TorchScript model " + model), r.err());
        } else {
            assertTrue(r.err().startsWith("error: no model runtime opens " + model), r.err());
            for (String part : List.of("djl-pytorch", "module runtime-djl", "-Donnx-only", "mvn -q -DskipTests package")) {
                assertTrue(r.err().contains(part), part + " in " + r.err());
            }
        }
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void aConfigNamingTheDjlRuntimeIsCheckedAgainstTheEnginesOfThisBuild() throws Exception {
        Path demo = Launch.ROOT.resolve("models/demo");
        Path config = Files.writeString(dir.resolve("config.json"), """
                {"name": "t", "seed": 1, "output": "out",
                 "backbone": {"type": "stylegan2", "model": "%s"},
                 "recognizer": {"type": "arcface", "model": "%s", "runtime": "djl-pytorch"},
                 "probes": 100, "identities": 2, "samples_per_identity": 2}
                """.formatted(demo.resolve("stylegan2/model.json"), demo.resolve("recognizer/demo_face.onnx")));
        Launch.Result r = Launch.run(dir, Map.of(), "validate", config.toString());
        System.out.println("validate, recognizer runtime djl-pytorch (engines " + ENGINES + ") -> exit " + r.code() + ": " + r.err());
        if (DJL) { // the runtime exists: it is asked to open an ONNX file, and says it cannot
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("cannot load TorchScript model") && r.err().contains("demo_face.onnx"), r.err());
        } else {
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("error: config " + config + ": /recognizer/runtime: unknown runtime \"djl-pytorch\""), r.err());
            assertTrue(r.err().contains("module runtime-djl") && r.err().contains("mvn -q -DskipTests package"), r.err());
        }
    }

    @Test
    void theTrainCommandIsThereExactlyWhenDjlIs() throws Exception {
        Launch.Result help = Launch.run(dir, Map.of(), "--help");
        assertEquals(DJL, help.out().lines().anyMatch(l -> l.trim().startsWith("train ")), help.out());
        Launch.Result r = Launch.run(dir, Map.of(), "train", "missing.json");
        assertEquals(2, r.code(), r.err());
        assertEquals(DJL ? "error: config missing.json: file not found\n"
                : "error: exfacegan train needs the training module (it trains on DJL PyTorch), which this build of the "
                        + "application does not include (an ONNX-only build, mvn ... -Donnx-only, leaves it out); build it with: "
                        + "mvn -q -DskipTests package (docs/training.md)\n", r.err());
    }
}
