package org.exfacegan.runner.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Input files are read whole or hashed whole, so only regular files of bounded size are taken: a
 * device ({@code /dev/zero}), a pipe or a folder given as a model would hang or exhaust the run.
 */
public final class InputFiles {
    /** Largest model file: a 1024 px StyleGAN export is ~120 MB, ONNX external weights a few GB. */
    public static final long MAX_MODEL_BYTES = 32L << 30;

    private InputFiles() {}

    /** Why {@code file} cannot be read as an input (links followed), or null when it can. */
    public static String problem(Path file, long maxBytes) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return "file not found: " + file;
        }
        if (!a.isRegularFile()) {
            return file + " is not a regular file but " + (a.isDirectory() ? "a folder" : "a device, pipe or socket")
                    + "; give the path of a file";
        }
        if (a.size() > maxBytes) {
            return file + " is " + a.size() + " bytes, over the limit of " + maxBytes + " for this input";
        }
        return null;
    }
}
