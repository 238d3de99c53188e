package org.exfacegan.npy;

/** A .npy file that cannot be read or written; the message names the file and what is wrong with it. */
public final class NpyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NpyException(String message) {
        super(message);
    }

    public NpyException(String message, Throwable cause) {
        super(message, cause);
    }
}
