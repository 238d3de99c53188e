package org.exfacegan.runner.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.JsonReader;

/**
 * The {@link JsonReader} the host hands plugins: their files (model descriptors) bound with the
 * config mapper's rules into the plugin's own records, and duplicate keys refused as well.
 */
public final class PluginJson implements JsonReader {
    public static final PluginJson READER = new PluginJson();
    /** Largest file read (a descriptor with an inline w_avg is far smaller). */
    static final long MAX_BYTES = 64L << 20;
    private static final ObjectReader STRICT = ConfigLoader.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private PluginJson() {}

    @Override
    public <T> T read(Path file, Class<T> type, String description) {
        Path abs = file.toAbsolutePath().normalize();
        StrictJson.Errors errors = (detail, cause) -> new ExfaceganException(description + " " + abs + ": " + detail, cause);
        String text;
        try {
            long size = Files.size(abs);
            if (size > MAX_BYTES) {
                throw errors.error("file of " + size + " bytes exceeds the limit of " + MAX_BYTES, null);
            }
            text = Files.readString(abs);
        } catch (NoSuchFileException e) {
            throw errors.error("file not found", e);
        } catch (IOException e) {
            throw errors.error("cannot read: " + e.getMessage(), e);
        }
        try {
            JsonNode tree = STRICT.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw errors.field("", "must be a JSON object, got " + (tree == null || tree.isMissingNode() ? "an empty file"
                        : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            StrictJson.checkFieldNames(tree, "", type, errors);
            return STRICT.forType(type).readValue(tree);
        } catch (IOException e) {
            throw StrictJson.translate(e, "", errors);
        } catch (IllegalArgumentException e) {
            throw errors.field("", e.getMessage());
        }
    }
}
