package org.exfacegan.runner.config;

import java.nio.file.Path;
import org.exfacegan.api.JsonReader;
import org.exfacegan.runner.io.Json;

/**
 * The {@link JsonReader} the host hands plugins: their files (model descriptors) bound by the
 * runner's strict JSON rules ({@link Json#read}) into the plugin's own records.
 */
public final class PluginJson implements JsonReader {
    public static final PluginJson READER = new PluginJson();
    /** Largest file read (a descriptor with an inline w_avg is far smaller). */
    static final long MAX_BYTES = Json.MAX_FILE_BYTES;

    private PluginJson() {}

    @Override
    public <T> T read(Path file, Class<T> type, String description) {
        Path abs = file.toAbsolutePath().normalize();
        String notJson = ModelFileKind.notJson(abs, description);
        if (notJson != null) {
            throw new org.exfacegan.api.ExfaceganException(notJson);
        }
        return Json.read(abs, type, description);
    }
}
