package org.exfacegan.runner.verification;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;

/**
 * insightface's verification benchmark files ({@code lfw.bin}, {@code agedb_30.bin}, ...): a
 * Python pickle of the tuple {@code (bins, issame_list)}, {@code bins} the 2n encoded aligned
 * 112x112 images (JPEG or PNG bytes; Python 2 strings in the older files), {@code issame_list}
 * n bools; pair k is images 2k and 2k + 1. Read with razorvine's unpickler under
 * {@link GuardedUnpickler}'s limits; written by our own few lines (protocol 3).
 */
public final class InsightfaceBin {
    /** Most images a .bin may hold (insightface's largest, cfp_fp, has 14,000). */
    public static final int MAX_IMAGES = 2_000_000;

    private InsightfaceBin() {}

    /** The benchmark in {@code file}; its name is the file name without {@code .bin}. Its images are aligned crops. */
    public static Benchmark read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read benchmark " + file + ": " + e.getMessage(), e);
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (size > Integer.MAX_VALUE || size > heap / 4) {
            throw new ExfaceganException(String.format(java.util.Locale.ROOT, "benchmark %s is %d MB; reading it takes up "
                    + "to 4 times that in memory, more than this JVM's heap (%d MB) allows: raise it, e.g. "
                    + "EXFACEGAN_JAVA_OPTS=-Xmx%dg", file, size >> 20, heap >> 20, Math.max(2, (4 * size >> 30) + 1)));
        }
        Object root;
        try (InputStream in = Files.newInputStream(file)) {
            root = GuardedUnpickler.load(in, size);
        } catch (GuardedUnpickler.Refused e) {
            throw notABin(file, e.getMessage());
        } catch (IOException e) {
            throw new ExfaceganException("cannot read benchmark " + file + ": " + e.getMessage(), e);
        }
        List<?> parts = sequence(root);
        if (parts == null || parts.size() != 2) {
            throw notABin(file, "it holds " + kind(root) + ", not the tuple (images, issame)");
        }
        List<?> bins = sequence(parts.get(0));
        List<?> issame = sequence(parts.get(1));
        if (bins == null || issame == null) {
            throw notABin(file, "it holds (" + kind(parts.get(0)) + ", " + kind(parts.get(1))
                    + "), not (list of images, list of bools)");
        }
        if (bins.size() != 2 * issame.size() || issame.isEmpty()) {
            throw notABin(file, bins.size() + " images for " + issame.size() + " pairs (need 2 per pair, at least one pair)");
        }
        if (bins.size() > MAX_IMAGES) {
            throw notABin(file, bins.size() + " images, more than the " + MAX_IMAGES + " this reader takes");
        }
        String name = name(file);
        boolean[] same = new boolean[issame.size()];
        for (int k = 0; k < same.length; k++) {
            if (!(issame.get(k) instanceof Boolean b)) {
                throw notABin(file, "issame[" + k + "] is " + kind(issame.get(k)) + ", not a bool");
            }
            same[k] = b;
        }
        List<Benchmark.Image> images = new ArrayList<>(bins.size());
        for (int i = 0; i < bins.size(); i++) {
            byte[] bytes = bytes(bins.get(i));
            if (bytes == null) {
                throw notABin(file, "image " + i + " is " + kind(bins.get(i)) + ", not encoded image bytes");
            }
            images.add(new Benchmark.Encoded("image " + i + " of " + file, bytes));
        }
        return Benchmark.consecutive(name, file, true, images, same);
    }

    /** The benchmark name of a .bin file: its file name without the extension ("agedb_30"). */
    static String name(Path file) {
        String n = file.getFileName().toString();
        return n.toLowerCase(java.util.Locale.ROOT).endsWith(".bin") ? n.substring(0, n.length() - 4) : n;
    }

    /**
     * Writes {@code (images, same)} as insightface does (a pickled tuple of a list of bytes and a
     * list of bools), to a temporary file renamed into place.
     *
     * @param images 2n encoded images, pair k = images 2k and 2k + 1
     * @param same   n labels
     */
    public static void write(Path file, List<byte[]> images, boolean[] same) {
        if (images.size() != 2 * same.length) {
            throw new IllegalArgumentException(images.size() + " images for " + same.length + " pairs");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            out.write(new byte[] {(byte) 0x80, 3}); // PROTO 3: bytes as bytes
            out.write(']'); // EMPTY_LIST
            for (int from = 0; from < images.size(); from += 1000) { // Python's own batching of APPENDS
                out.write('('); // MARK
                for (byte[] b : images.subList(from, Math.min(images.size(), from + 1000))) {
                    if (b.length < 256) {
                        out.write(new byte[] {'C', (byte) b.length}); // SHORT_BINBYTES
                    } else {
                        out.write('B'); // BINBYTES, 4-byte little-endian length
                        out.write(new byte[] {(byte) b.length, (byte) (b.length >> 8), (byte) (b.length >> 16),
                            (byte) (b.length >> 24)});
                    }
                    out.write(b);
                }
                out.write('e'); // APPENDS
            }
            out.write(']');
            for (int from = 0; from < same.length; from += 1000) {
                out.write('(');
                for (int k = from; k < Math.min(same.length, from + 1000); k++) {
                    out.write(same[k] ? 0x88 : 0x89); // NEWTRUE / NEWFALSE
                }
                out.write('e');
            }
            out.write(0x86); // TUPLE2
            out.write('.'); // STOP
        } catch (IOException e) {
            throw new ExfaceganException("cannot write benchmark " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ExfaceganException("cannot write benchmark " + file + ": " + e.getMessage(), e);
        }
    }

    private static ExfaceganException notABin(Path file, String why) {
        return new ExfaceganException("benchmark " + file + " is not an insightface .bin (a pickle of (images, issame)): "
                + why);
    }

    /** A Python list or tuple, else null. */
    private static List<?> sequence(Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        return o instanceof Object[] a ? java.util.Arrays.asList(a) : null;
    }

    /** Python 3 bytes / bytearray, or a Python 2 str (razorvine gives its bytes as chars 0-255); else null. */
    private static byte[] bytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s && s.chars().allMatch(c -> c < 256)) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static String kind(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Object[] a) {
            return "a tuple of " + a.length;
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (o instanceof String) {
            return "text";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        return "a " + o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).replace("integer", "int");
    }
}
