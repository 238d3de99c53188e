package org.exfacegan.api.backbone.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;

/** Reads small NumPy .npy arrays of little-endian float32 or float64 in C order (e.g. w_avg). */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Largest file read: these arrays are small (a mean latent); a bigger file is refused before it is read. */
    public static final long MAX_BYTES = 256L << 20;
    private static final Pattern DIM = Pattern.compile("\\s*([0-9]{1,18})\\s*");

    /** The array as a float tensor of its own shape (a 0-d array becomes shape []). */
    public static FloatTensor read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ExfaceganException(file + ": .npy file of " + size + " bytes exceeds the limit of " + MAX_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read .npy file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < 12 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new ExfaceganException(file + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = buf.getInt(8);
            offset = 12;
        } else {
            throw new ExfaceganException(file + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || headerLen > bytes.length - offset) {
            throw new ExfaceganException(file + ": truncated .npy header");
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if (group(ORDER, header, file, "fortran_order").equals("True")) {
            throw new ExfaceganException(file + ": Fortran-order arrays are not supported; save with np.ascontiguousarray");
        }
        String inner = group(SHAPE, header, file, "shape").strip();
        String[] dims = inner.isEmpty() ? new String[0] : (inner.endsWith(",") ? inner.substring(0, inner.length() - 1) : inner).split(",", -1);
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            Matcher m = DIM.matcher(dims[i]);
            if (!m.matches()) {
                throw new ExfaceganException(file + ": bad .npy shape (" + inner + "): dimensions must be non-negative integers");
            }
            shape[i] = Long.parseLong(m.group(1));
        }
        long count = 1;
        try {
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
        } catch (ArithmeticException e) {
            throw new ExfaceganException(file + ": .npy shape (" + inner + ") is too large");
        }
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new ExfaceganException(file + ": dtype " + descr + " is not supported (expected <f4 float32 or <f8 float64)");
        };
        int data = offset + headerLen;
        if (count > bytes.length || bytes.length - data != count * width) {
            throw new ExfaceganException(file + ": shape " + FloatTensor.shapeString(shape) + " of " + descr + " needs "
                    + (count > bytes.length ? "more" : Long.toString(count * width)) + " data bytes, file has " + (bytes.length - data));
        }
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 4 ? buf.getFloat(data + 4 * i) : (float) buf.getDouble(data + 8 * i);
        }
        return new FloatTensor(shape, values);
    }

    private static String group(Pattern p, String header, Path file, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new ExfaceganException(file + ": .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }
}
