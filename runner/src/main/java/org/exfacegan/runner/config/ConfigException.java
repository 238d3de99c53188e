package org.exfacegan.runner.config;

import org.exfacegan.api.ExfaceganException;

/** A config that cannot be used; the message names the file and the JSON pointer of the field. */
public final class ConfigException extends ExfaceganException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
