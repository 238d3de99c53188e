package org.exfacegan.runner.plugin;

import java.nio.file.Path;

/**
 * Where providers come from: a plugin jar, a plugin sub-folder, or the host itself (built-in).
 *
 * @param location the jar or folder; null for built-ins
 * @param sha256   hex SHA-256 of the jar (of the sorted jar hashes for a folder); null for built-ins
 */
public record PluginSource(Path location, String sha256) {
    public static final PluginSource BUILT_IN = new PluginSource(null, null);

    public boolean isBuiltIn() {
        return location == null;
    }

    @Override
    public String toString() {
        return isBuiltIn() ? "(built-in)" : location.toString();
    }
}
