package org.exfacegan.runtime;

import java.util.Locale;
import java.util.Optional;

/**
 * The engine modules this project ships. The host depends on none of them: a build puts them on
 * the class path, or leaves one out (an ONNX-only build leaves out runtime-djl). Known here only so
 * that a model or config asking for an engine the build left out hears which one and how to get it.
 */
public enum EngineModule {
    ONNX("onnxruntime", "runtime-onnx", ".onnx", "ONNX", "every build of the application includes it"),
    DJL("djl-pytorch", "runtime-djl", ".pt", "TorchScript",
            "an ONNX-only build, mvn ... -Donnx-only, leaves it out");

    /** The build that puts every engine into the application (dist/target/exfacegan). */
    public static final String FULL_BUILD = "mvn -q -DskipTests package";

    private final String runtimeName;
    private final String module;
    private final String extension;
    private final String format;
    private final String note;

    EngineModule(String runtimeName, String module, String extension, String format, String note) {
        this.runtimeName = runtimeName;
        this.module = module;
        this.extension = extension;
        this.format = format;
        this.note = note;
    }

    /** The Maven module (folder) that holds it. */
    public String module() {
        return module;
    }

    /** The engine module whose runtime has this name. */
    public static Optional<EngineModule> named(String runtimeName) {
        for (EngineModule e : values()) {
            if (e.runtimeName.equals(runtimeName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The engine module that opens a file of this name by its extension. */
    public static Optional<EngineModule> opening(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (EngineModule e : values()) {
            if (name.endsWith(e.extension)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * For an error about a runtime name nobody registered: ". " and what {@link #missing} says when
     * the name is one of our engines', else nothing.
     */
    public static String noteOnName(String runtimeName) {
        return named(runtimeName).map(e -> ". " + e.missing()).orElse("");
    }

    /** Says that this engine is not in the running build, and how to build one with it. */
    public String missing() {
        return format + " (" + extension + ") models need the " + runtimeName + " runtime (module " + module
                + "), which this build of the application does not include (" + note + "); build it with all engines: "
                + FULL_BUILD + " (docs/runtimes.md)";
    }
}
