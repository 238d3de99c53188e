package org.exfacegan.spark.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Sha256;

/**
 * The completion marker of a published unit: every file with its size and SHA-256. Its bytes depend
 * only on the files (sorted, no time, no task or host), so every attempt at a unit writes the same
 * marker, and a duplicate can tell whether it made the same bytes as the attempt that won.
 */
record Marker(String unit, List<Entry> files) {
    record Entry(String path, long bytes, String sha256) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    Marker {
        files = List.copyOf(files);
    }

    static Marker of(Publication p) {
        List<Entry> entries = new ArrayList<>();
        p.files().forEach((path, content) -> entries.add(new Entry(path, content.length, Sha256.of(content))));
        return new Marker(p.name(), entries);
    }

    byte[] toBytes() {
        try {
            return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Marker parse(byte[] bytes, String where) {
        try {
            return JSON.readValue(bytes, Marker.class); // nulls and missing fields refused, as are null entries (List.copyOf)
        } catch (IOException e) {
            throw new ExfaceganException("completion marker " + where + " is damaged (" + e.getClass().getSimpleName()
                    + "); delete it and the unit is published again", e);
        }
    }

    /** The first difference from {@code other}, for messages; null when equal. */
    String differenceFrom(Marker other) {
        for (int i = 0; i < Math.max(files.size(), other.files.size()); i++) {
            Entry a = i < files.size() ? files.get(i) : null;
            Entry b = i < other.files.size() ? other.files.get(i) : null;
            if (a == null || b == null || !a.equals(b)) {
                return (a == null ? "nothing" : a.path() + " (" + a.bytes() + " bytes, SHA-256 " + a.sha256() + ")")
                        + " where the other has " + (b == null ? "nothing" : b.path() + " (" + b.bytes() + " bytes, SHA-256 " + b.sha256() + ")");
            }
        }
        return unit.equals(other.unit) ? null : "unit " + unit + " vs " + other.unit;
    }
}
