package org.exfacegan.runner.verification;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * razorvine's unpickler held to what an insightface {@code .bin} can contain: lists, tuples,
 * bytes (also as Python 2 strings or {@code _codecs.encode} calls), bools and small ints, with
 * memo and framing. Every other opcode and every other Python global is refused, each declared
 * length is checked against the bytes left in the file before anything is allocated, text
 * arguments are bounded, and the memory the objects built could take is counted against a
 * budget of a few times the file's size, so a hostile file fails with a message instead of
 * exhausting the heap. (razorvine never runs Python code; this guards memory and clarity.)
 */
final class GuardedUnpickler extends Unpickler {
    /** What refused a file: the message and the offset of the opcode at fault. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final Set<String> GLOBALS = Set.of("_codecs encode", "__builtin__ bytearray", "builtins bytearray",
            "__builtin__ bytes");
    /** Longest text argument of INT, GET and PUT (a decimal number), and of GLOBAL (two names). */
    private static final int NUMBER_LINE = 32;
    private static final int GLOBAL_LINES = 256;
    /** Longest protocol-0 text item (an escaped image). */
    private static final int TEXT_LINE = 16 << 20;

    private final Input in;
    private final long budget;
    private long cost;
    private long opcodeAt;

    private GuardedUnpickler(Input in, long budget) {
        this.in = in;
        this.budget = budget;
    }

    /**
     * The object pickled in {@code stream} ({@code size} bytes long).
     *
     * @throws Refused for anything outside what a .bin holds, or a budget exceeded
     * @throws IOException when the stream ends early or cannot be read
     */
    static Object load(InputStream stream, long size) throws IOException {
        Input in = new Input(stream, size);
        GuardedUnpickler u = new GuardedUnpickler(in, 3 * size + (64L << 20));
        try {
            Object result = u.load(in);
            if (in.position < size) {
                throw new Refused("the pickle ends at byte " + in.position + " of " + size + ": trailing data");
            }
            return result;
        } catch (Refused e) {
            throw e;
        } catch (IOException | RuntimeException e) { // razorvine on a malformed stream (PickleException, casts, empty stack)
            throw new Refused("malformed pickle at byte " + u.opcodeAt + " (" + describe(e) + ")");
        } finally {
            u.close();
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage().strip();
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        opcodeAt = in.position - 1;
        check(key);
        long before = in.position;
        Object result = super.dispatch(key);
        cost += fixedCost(key) + 2 * (in.position - before);
        if (key == Opcodes.REDUCE && stack.size() > 0 && stack.peek() instanceof byte[] b) {
            cost += b.length;
        }
        if (cost > budget) {
            throw new Refused(String.format(Locale.ROOT, "the pickle builds more objects than a file of %d bytes can hold "
                    + "(over %d MB by byte %d)", in.size, budget >> 20, in.position));
        }
        return result;
    }

    /** Refuses opcodes a .bin does not need, and lengths or text the file cannot back. */
    private void check(short key) throws IOException {
        switch (key) {
            case Opcodes.MARK, Opcodes.STOP, Opcodes.POP, Opcodes.POP_MARK, Opcodes.DUP, Opcodes.NONE, Opcodes.REDUCE,
                    Opcodes.APPEND, Opcodes.APPENDS, Opcodes.LIST, Opcodes.EMPTY_LIST, Opcodes.TUPLE, Opcodes.EMPTY_TUPLE,
                    Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3, Opcodes.NEWTRUE, Opcodes.NEWFALSE, Opcodes.MEMOIZE,
                    Opcodes.BININT, Opcodes.BININT1, Opcodes.BININT2, Opcodes.BINGET, Opcodes.LONG_BINGET, Opcodes.BINPUT,
                    Opcodes.LONG_BINPUT -> {
                // fixed size
            }
            case Opcodes.PROTO -> {
                int v = in.peek(1)[0] & 0xff;
                if (v > 5) {
                    throw new Refused("pickle protocol " + v + " (the highest Python writes is 5)");
                }
            }
            case Opcodes.INT, Opcodes.GET, Opcodes.PUT -> line(NUMBER_LINE, 1, opcodeName(key));
            case Opcodes.STRING, Opcodes.UNICODE -> line(TEXT_LINE, 1, opcodeName(key)); // protocol 0 text: image bytes escaped
            case Opcodes.GLOBAL -> {
                String[] names = line(GLOBAL_LINES, 2, "GLOBAL");
                global(names[0], names[1]);
            }
            case Opcodes.STACK_GLOBAL -> {
                if (stack.size() < 2) {
                    throw new Refused("STACK_GLOBAL at byte " + opcodeAt + " with an empty stack");
                }
                Object name = stack.pop();
                Object module = stack.peek();
                stack.add(name);
                global(String.valueOf(module), String.valueOf(name));
            }
            case Opcodes.SHORT_BINBYTES, Opcodes.SHORT_BINSTRING, Opcodes.SHORT_BINUNICODE -> length(1);
            case Opcodes.BINBYTES, Opcodes.BINSTRING, Opcodes.BINUNICODE -> length(4);
            case Opcodes.BINBYTES8, Opcodes.BINUNICODE8, Opcodes.BYTEARRAY8 -> length(8);
            case Opcodes.FRAME -> in.peek(8);
            default -> throw new Refused(String.format(Locale.ROOT, "opcode 0x%02x ('%s') at byte %d builds something an "
                    + "insightface .bin does not hold (only lists of image bytes and of bools)", key, opcodeName(key), opcodeAt));
        }
    }

    private static void global(String module, String name) {
        if (!GLOBALS.contains(module + " " + name)) {
            throw new Refused("the pickle refers to the Python object " + module + "." + name
                    + "; an insightface .bin holds only image bytes and bools");
        }
    }

    /** The length prefix of the next opcode's payload, checked against the bytes left. */
    private void length(int prefix) throws IOException {
        byte[] b = in.peek(prefix);
        long len = 0;
        for (int i = prefix - 1; i >= 0; i--) {
            len = (len << 8) | (b[i] & 0xff);
        }
        if (prefix == 4) {
            len = (int) len; // a signed 32-bit length in the pickle format
        }
        long left = in.size - in.position - prefix;
        if (len < 0 || len > left) {
            throw new Refused("an item at byte " + opcodeAt + " declares " + len + " bytes but only " + left
                    + " are left in the file");
        }
    }

    /** The next {@code count} newline-terminated lines, which must fit in {@code max} bytes. */
    private String[] line(int max, int count, String what) throws IOException {
        byte[] b = in.peek((int) Math.min(max, in.size - in.position));
        String[] lines = new String[count];
        int from = 0;
        for (int k = 0; k < count; k++) {
            int nl = from;
            while (nl < b.length && b[nl] != '\n') {
                nl++;
            }
            if (nl == b.length) {
                throw new Refused(what + " at byte " + opcodeAt + " has no end of line within " + max + " bytes");
            }
            lines[k] = new String(b, from, nl - from, StandardCharsets.ISO_8859_1);
            from = nl + 1;
        }
        return lines;
    }

    private static long fixedCost(short key) {
        return switch (key) {
            case Opcodes.MEMOIZE, Opcodes.PUT, Opcodes.BINPUT, Opcodes.LONG_BINPUT -> 64;
            case Opcodes.EMPTY_LIST, Opcodes.LIST, Opcodes.EMPTY_TUPLE, Opcodes.TUPLE, Opcodes.TUPLE1, Opcodes.TUPLE2,
                    Opcodes.TUPLE3, Opcodes.REDUCE -> 48;
            default -> 24;
        };
    }

    private static String opcodeName(short key) {
        return key >= 0x20 && key < 0x7f ? Character.toString((char) key) : String.format(Locale.ROOT, "\\x%02x", key);
    }

    /** The file, buffered, with its position, and peeks that do not consume. */
    private static final class Input extends InputStream {
        private final BufferedInputStream in;
        private final long size;
        private long position;

        Input(InputStream stream, long size) {
            this.in = new BufferedInputStream(stream, 1 << 16);
            this.size = size;
        }

        byte[] peek(int n) throws IOException {
            in.mark(n);
            byte[] b = in.readNBytes(n);
            in.reset();
            if (b.length < n) {
                throw new Refused("the file ends at byte " + size + " inside an item");
            }
            return b;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
