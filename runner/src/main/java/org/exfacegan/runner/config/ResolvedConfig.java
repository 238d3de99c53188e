package org.exfacegan.runner.config;

import java.nio.file.Path;

/** A config that passed every check, with paths made absolute against the config's folder. */
public record ResolvedConfig(Path file, ExperimentConfig config, Path output,
                             ResolvedComponent backbone, ResolvedComponent recognizer) {
}
