package org.exfacegan.runner.config;

import java.nio.file.Path;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.runner.plugin.LoadedProvider;

/** A config component checked against the plugins: provider found, paths absolute, settings bound. */
public record ResolvedComponent(LoadedProvider provider, Path model, ModelOptions options, Object settings) {
}
