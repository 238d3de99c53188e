package org.exfacegan.recognizer.arcface;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the five alignment points of a face come from ({@code landmarks} option). The only list of
 * the choices: binding, the message for a wrong one and the docs test read it.
 */
public enum Landmarks {
    /** A known layout for FFHQ-aligned images (GAN output): no detector. */
    FIXED("fixed"),
    /** A face detector and a 68-point landmark model find them in each image. */
    DETECT("detect");

    private final String jsonName;

    Landmarks(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    @Override
    public String toString() {
        return jsonName;
    }

    /** The choice named {@code name} (case and surrounding blanks ignored, as configs have always been read). */
    @JsonCreator
    public static Landmarks of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Landmarks l : values()) {
            if (l.jsonName.equals(n)) {
                return l;
            }
        }
        throw new IllegalArgumentException("landmarks must be one of " + Arrays.stream(values()).map(Landmarks::jsonName)
                .collect(Collectors.joining(", ")) + "; got \"" + name + "\"");
    }
}
