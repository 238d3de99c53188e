package org.exfacegan.api;

import java.util.regex.Pattern;

/**
 * What every discoverable component reports about itself. Providers are cheap factories:
 * constructing one must not load native code or models (that happens on open).
 */
public interface Provider {
    Pattern NAME = Pattern.compile("[a-z0-9-]+");

    /** Stable name used in configs, e.g. "stylegan2"; must match {@link #NAME}. */
    String name();

    /** The plugin's own version. */
    String version();

    /**
     * The API version the provider was compiled against. Implement it as
     * {@code return ApiVersion.CURRENT;} so javac inlines the constant of the api jar used to build it.
     */
    String apiVersion();

    /** One line for listings. */
    String description();

    /**
     * The record type the provider's settings in a config bind to (unknown and missing required
     * fields are errors). {@code Void.class} when the provider takes no settings.
     */
    default Class<?> settingsType() {
        return Void.class;
    }

    /** Throws IllegalArgumentException when the name is not a valid provider name. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name must match [a-z0-9-]+, got: " + name);
        }
        return name;
    }
}
