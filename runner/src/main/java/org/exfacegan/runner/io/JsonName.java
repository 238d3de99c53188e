package org.exfacegan.runner.io;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A choice written in configs and files by name: an enum whose JSON name is its constant's name in
 * lower case with '-' for '_' ({@code LEAST_SQUARES} is "least-squares"). The enum is then the one
 * list of the choice: {@link Json#MAPPER} binds and writes it by that name, a wrong name is refused
 * listing {@link Json#names} of the enum, and the docs test checks the docs list the same names.
 * Implementations return {@link #jsonName()} from {@code toString()} too, so messages read alike.
 */
public interface JsonName {
    /** The enum constant's name ({@link Enum#name()}). */
    String name();

    @JsonValue
    default String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
