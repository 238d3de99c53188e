package org.exfacegan.api;

/** An error a user can act on: its message names the thing at fault (file, field, plugin, shape). */
public class ExfaceganException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExfaceganException(String message) {
        super(message);
    }

    public ExfaceganException(String message, Throwable cause) {
        super(message, cause);
    }
}
