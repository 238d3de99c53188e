package org.exfacegan.api;

import java.nio.file.Path;

/**
 * The host's JSON binding, handed to plugins in {@link PluginContext} so that a plugin's own files
 * (model descriptors) are read as strictly as configs, into the plugin's own record: snake_case
 * field names ({@code zDim} reads {@code "z_dim"}), unknown fields, missing required fields
 * ({@code @JsonProperty(required = true)}), duplicate keys and wrong types are errors, and so is an
 * IllegalArgumentException thrown by the record's constructor. Every error is an
 * ExfaceganException whose message names the file and the field by its JSON pointer.
 */
public interface JsonReader {
    /**
     * Reads {@code file} into {@code type}.
     *
     * @param description what the file is, the start of every error message (e.g. "model descriptor")
     */
    <T> T read(Path file, Class<T> type, String description);
}
