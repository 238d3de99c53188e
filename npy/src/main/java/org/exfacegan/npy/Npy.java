package org.exfacegan.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format 1.0 written; 1.0, 2.0 and 3.0 read), C order, little-endian
 * {@code <f4 <f8 <i4 <i8 |b1}. The writer reproduces {@code numpy.save} byte for byte, including
 * the spare header space numpy leaves so the first axis can grow in place. The one implementation
 * the host and the plugins share (plugins bundle this library); it depends on nothing, so every
 * defect is an {@link NpyException} naming the file.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** numpy's GROWTH_AXIS_MAX_DIGITS: header space reserved for the first dimension's digits. */
    private static final int GROWTH_DIGITS = 21;
    /** numpy refuses headers longer than this by default (format._MAX_HEADER_SIZE). */
    static final int MAX_HEADER = 10_000;
    private static final int MAX_DIMS = 64;
    /** Largest Java array we can allocate. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Npy() {}

    /** Element types supported, with numpy's descr string. */
    public enum DType {
        FLOAT32("<f4", 4), FLOAT64("<f8", 8), INT32("<i4", 4), INT64("<i8", 8), BOOL("|b1", 1);

        private final String descr;
        private final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        public String descr() {
            return descr;
        }

        public int size() {
            return size;
        }

        static DType ofDescr(String d) {
            for (DType t : values()) {
                // numpy writes '<' for little-endian, '|' when byte order is moot; '=' is rare
                if (t.descr.equals(d) || (t.size == 1 && ("<" + t.descr.substring(1)).equals(d))) {
                    return t;
                }
            }
            return null;
        }
    }

    /** A loaded array: its type, its shape, and its data as float[], double[], int[], long[] or boolean[]. */
    public record Array(DType dtype, long[] shape, Object data) {
        public Array {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public long elements() {
            return count(shape);
        }

        public float[] floats() {
            return as(DType.FLOAT32, float[].class);
        }

        public double[] doubles() {
            return as(DType.FLOAT64, double[].class);
        }

        public int[] ints() {
            return as(DType.INT32, int[].class);
        }

        public long[] longs() {
            return as(DType.INT64, long[].class);
        }

        public boolean[] booleans() {
            return as(DType.BOOL, boolean[].class);
        }

        private <T> T as(DType want, Class<T> type) {
            if (dtype != want) {
                throw new NpyException("npy array holds " + dtype.descr + ", expected " + want.descr);
            }
            return type.cast(data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Array a && a.dtype == dtype && Arrays.equals(a.shape, shape)
                    && Arrays.deepEquals(new Object[] {a.data}, new Object[] {data});
        }

        @Override
        public int hashCode() {
            return dtype.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "npy " + dtype.descr + " " + Arrays.toString(shape);
        }
    }

    // ---------------------------------------------------------------- writing

    public static void write(Path file, float[] data, long... shape) {
        write(file, DType.FLOAT32, data, data.length, shape);
    }

    public static void write(Path file, double[] data, long... shape) {
        write(file, DType.FLOAT64, data, data.length, shape);
    }

    public static void write(Path file, int[] data, long... shape) {
        write(file, DType.INT32, data, data.length, shape);
    }

    public static void write(Path file, long[] data, long... shape) {
        write(file, DType.INT64, data, data.length, shape);
    }

    public static void write(Path file, boolean[] data, long... shape) {
        write(file, DType.BOOL, data, data.length, shape);
    }

    /** The bytes {@code numpy.save} writes for this array. */
    public static byte[] toBytes(Array a) {
        int n = (int) a.elements();
        byte[] header = header(a.dtype(), a.shape());
        ByteBuffer buf = ByteBuffer.allocate(header.length + n * a.dtype().size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(header);
        putData(buf, a.dtype(), a.data(), 0, n);
        return buf.array();
    }

    private static void write(Path file, DType dtype, Object data, int length, long[] shape) {
        if (count(shape) != length) {
            throw new NpyException("cannot write " + file + ": shape " + Arrays.toString(shape)
                    + " holds " + count(shape) + " elements, data has " + length);
        }
        byte[] header = header(dtype, shape);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            int per = buf.capacity() / dtype.size;
            for (int from = 0; from < length; from += per) {
                buf.clear();
                putData(buf, dtype, data, from, Math.min(length, from + per));
                out.write(buf.array(), 0, buf.position());
            }
        } catch (IOException e) {
            throw new NpyException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void putData(ByteBuffer buf, DType dtype, Object data, int from, int to) {
        switch (dtype) {
            case FLOAT32 -> buf.asFloatBuffer().put((float[]) data, from, to - from);
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) data, from, to - from);
            case INT32 -> buf.asIntBuffer().put((int[]) data, from, to - from);
            case INT64 -> buf.asLongBuffer().put((long[]) data, from, to - from);
            case BOOL -> {
                boolean[] b = (boolean[]) data;
                for (int i = from; i < to; i++) {
                    buf.put(buf.position() + i - from, (byte) (b[i] ? 1 : 0));
                }
            }
        }
        buf.position(buf.position() + (to - from) * dtype.size);
    }

    /** numpy's header: magic, version 1.0, length, dict repr plus growth space, padded to 64 with '\n' last. */
    static byte[] header(DType dtype, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(dtype.descr)
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new NpyException("negative dimension in shape " + Arrays.toString(shape));
            }
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_DIGITS - Long.toString(shape[0]).length())));
        }
        int hlen = dict.length() + 1;
        int pad = ALIGN - (MAGIC.length + 2 + 2 + hlen) % ALIGN; // numpy pads a full 64 when already aligned
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        if (text.length > 0xFFFF) {
            throw new NpyException("npy header too long for format 1.0: shape " + Arrays.toString(shape));
        }
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    // ---------------------------------------------------------------- reading

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DIM = Pattern.compile("\\s*(\\d{1,19})\\s*");

    /** Reads a whole file; every defect is an NpyException naming the file. */
    public static Array read(Path file) {
        return read(file, MAX_ELEMENTS);
    }

    /**
     * Reads a whole file holding at most {@code maxElements} elements: a caller that expects a small
     * array (a mean latent) refuses a bigger one from its header, before anything is allocated.
     */
    public static Array read(Path file, long maxElements) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = readFully(ch, file, 0, Math.min(size, 12)).order(ByteOrder.LITTLE_ENDIAN);
            if (pre.remaining() < 10) {
                throw bad(file, "truncated header (" + size + " bytes)");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre.get(i) != MAGIC[i]) {
                    throw bad(file, "not a NumPy .npy file (bad magic)");
                }
            }
            int major = pre.get(6) & 0xFF;
            int minor = pre.get(7) & 0xFF;
            if (major < 1 || major > 3 || minor != 0) {
                throw bad(file, "unsupported .npy format version " + major + "." + minor);
            }
            long hlen;
            int prefix;
            if (major == 1) {
                hlen = pre.getShort(8) & 0xFFFF;
                prefix = 10;
            } else {
                if (pre.remaining() < 12) {
                    throw bad(file, "truncated header (" + size + " bytes)");
                }
                hlen = pre.getInt(8) & 0xFFFFFFFFL;
                prefix = 12;
            }
            if (hlen > MAX_HEADER) {
                throw bad(file, "header of " + hlen + " bytes exceeds the limit of " + MAX_HEADER);
            }
            if (prefix + hlen > size) {
                throw bad(file, "truncated header: declares " + hlen + " bytes, file has " + (size - prefix));
            }
            ByteBuffer hb = readFully(ch, file, prefix, hlen);
            byte[] hbytes = new byte[(int) hlen];
            hb.get(hbytes);
            String header = new String(hbytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = parseHeader(file, header);
            long dataBytes = size - prefix - hlen;
            long elements = 1;
            for (long d : h.shape) {
                if (d != 0 && elements > MAX_ELEMENTS / d) {
                    throw bad(file, "shape " + Arrays.toString(h.shape) + " is too large");
                }
                elements *= d;
            }
            if (elements > MAX_ELEMENTS) {
                throw bad(file, "shape " + Arrays.toString(h.shape) + " is too large");
            }
            if (elements > maxElements) {
                throw bad(file, "shape " + Arrays.toString(h.shape) + " holds " + elements + " elements, more than the "
                        + maxElements + " expected here");
            }
            long need = elements * h.dtype.size;
            if (need > dataBytes) {
                throw bad(file, "truncated data: shape " + Arrays.toString(h.shape) + " " + h.dtype.descr
                        + " needs " + need + " bytes, file has " + dataBytes);
            }
            if (need > MAX_ELEMENTS) {
                throw bad(file, "data of " + need + " bytes is too large to load into one array");
            }
            if (need < dataBytes) {
                throw bad(file, (dataBytes - need) + " trailing bytes after the data of shape " + Arrays.toString(h.shape));
            }
            // allocation is bounded by the file size checked above; read in chunks into the typed array
            int n = (int) elements;
            Object out = switch (h.dtype) {
                case FLOAT32 -> new float[n];
                case FLOAT64 -> new double[n];
                case INT32 -> new int[n];
                case INT64 -> new long[n];
                case BOOL -> new boolean[n];
            };
            int size1 = h.dtype.size;
            int per = (1 << 20) / size1;
            for (int from = 0; from < n; from += per) {
                int count = Math.min(per, n - from);
                ByteBuffer data = readFully(ch, file, prefix + hlen + (long) from * size1, (long) count * size1)
                        .order(ByteOrder.LITTLE_ENDIAN);
                switch (h.dtype) {
                    case FLOAT32 -> data.asFloatBuffer().get((float[]) out, from, count);
                    case FLOAT64 -> data.asDoubleBuffer().get((double[]) out, from, count);
                    case INT32 -> data.asIntBuffer().get((int[]) out, from, count);
                    case INT64 -> data.asLongBuffer().get((long[]) out, from, count);
                    case BOOL -> {
                        boolean[] a = (boolean[]) out;
                        for (int i = 0; i < count; i++) {
                            byte v = data.get(i);
                            if (v != 0 && v != 1) {
                                throw bad(file, "bool element " + (from + i) + " has byte value " + v);
                            }
                            a[from + i] = v == 1;
                        }
                    }
                }
            }
            return new Array(h.dtype, h.shape, out);
        } catch (IOException e) {
            throw new NpyException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Header(DType dtype, long[] shape) {}

    private static Header parseHeader(Path file, String header) {
        String t = header.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw bad(file, "header is not a dict: " + abbreviate(t));
        }
        Matcher m = DESCR.matcher(t);
        if (!m.find()) {
            throw bad(file, "header has no 'descr': " + abbreviate(t));
        }
        DType dtype = DType.ofDescr(m.group(1));
        if (dtype == null) {
            throw bad(file, "unsupported dtype '" + abbreviate(m.group(1)) + "' (supported: <f4 <f8 <i4 <i8 |b1)");
        }
        m = FORTRAN.matcher(t);
        if (!m.find()) {
            throw bad(file, "header has no 'fortran_order': " + abbreviate(t));
        }
        if (m.group(1).equals("True")) {
            throw bad(file, "Fortran-order arrays are not supported; save with numpy.ascontiguousarray");
        }
        m = SHAPE.matcher(t);
        if (!m.find()) {
            throw bad(file, "header has no 'shape': " + abbreviate(t));
        }
        String inner = m.group(1).strip();
        long[] shape;
        if (inner.isEmpty()) {
            shape = new long[0];
        } else {
            String[] parts = inner.endsWith(",") ? inner.substring(0, inner.length() - 1).split(",", -1) : inner.split(",", -1);
            if (parts.length > MAX_DIMS) {
                throw bad(file, "shape has " + parts.length + " dimensions, at most " + MAX_DIMS + " allowed");
            }
            shape = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                Matcher dm = DIM.matcher(parts[i]);
                if (!dm.matches()) {
                    throw bad(file, "bad dimension '" + abbreviate(parts[i].strip()) + "' in shape (" + abbreviate(inner) + ")");
                }
                try {
                    shape[i] = Long.parseLong(dm.group(1));
                } catch (NumberFormatException e) {
                    throw bad(file, "dimension " + abbreviate(dm.group(1)) + " is too large");
                }
            }
        }
        return new Header(dtype, shape);
    }

    private static ByteBuffer readFully(FileChannel ch, Path file, long pos, long len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) len);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw bad(file, "truncated file");
            }
        }
        return b.flip();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static NpyException bad(Path file, String why) {
        return new NpyException("invalid .npy file " + file + ": " + why);
    }
}
