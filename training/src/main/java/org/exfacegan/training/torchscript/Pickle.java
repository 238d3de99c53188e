package org.exfacegan.training.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the small subset of Python's pickle protocol 2 that a TorchScript archive's
 * {@code data.pkl} and {@code constants.pkl} use: module objects (GLOBAL + NEWOBJ + BUILD with a
 * dict), tensors ({@code torch._utils._rebuild_tensor_v2} with a persistent storage id), strings,
 * ints, floats, booleans, None and tuples. No memo is written: nothing is referenced twice.
 */
final class Pickle {
    private static final int PROTO = 0x80;
    private static final int STOP = '.';
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int NEWOBJ = 0x81;
    private static final int EMPTY_DICT = '}';
    private static final int MARK = '(';
    private static final int SETITEMS = 'u';
    private static final int BUILD = 'b';
    private static final int BINUNICODE = 'X';
    private static final int BININT = 'J';
    private static final int BINFLOAT = 'G';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int NONE = 'N';
    private static final int TUPLE = 't';
    private static final int BINPERSID = 'Q';
    private static final int REDUCE = 'R';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickle() {
        out.write(PROTO);
        out.write(2);
    }

    byte[] finish() {
        out.write(STOP);
        return out.toByteArray();
    }

    Pickle global(String module, String name) {
        out.write(GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Pickle string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    Pickle integer(long v) {
        if (v != (int) v) {
            throw new IllegalArgumentException("integer " + v + " does not fit the 32-bit pickle opcode used here");
        }
        out.write(BININT);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        return this;
    }

    /** Python floats are doubles, big-endian in BINFLOAT. */
    Pickle real(double v) {
        out.write(BINFLOAT);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
        return this;
    }

    Pickle bool(boolean v) {
        out.write(v ? NEWTRUE : NEWFALSE);
        return this;
    }

    Pickle none() {
        out.write(NONE);
        return this;
    }

    Pickle mark() {
        out.write(MARK);
        return this;
    }

    /** Closes the innermost mark into a tuple. */
    Pickle tuple() {
        out.write(TUPLE);
        return this;
    }

    Pickle emptyTuple() {
        out.write(EMPTY_TUPLE);
        return this;
    }

    /** {@code cls.__new__(cls)}: the class must be on the stack. */
    Pickle newObject() {
        out.write(EMPTY_TUPLE);
        out.write(NEWOBJ);
        return this;
    }

    /** Starts the state dict of an object: key/value pairs follow, then {@link #endState}. */
    Pickle beginState() {
        out.write(EMPTY_DICT);
        out.write(MARK);
        return this;
    }

    Pickle endState() {
        out.write(SETITEMS);
        out.write(BUILD);
        return this;
    }

    Pickle persistentId() {
        out.write(BINPERSID);
        return this;
    }

    Pickle reduce() {
        out.write(REDUCE);
        return this;
    }

    /**
     * A contiguous float32 CPU tensor whose bytes are the archive record {@code data/KEY}, as
     * {@code torch.jit.save} writes it: {@code _rebuild_tensor_v2(storage, 0, shape, stride,
     * requires_grad, OrderedDict())}.
     */
    Pickle floatTensor(String key, long[] shape, boolean requiresGrad) {
        long numel = 1;
        for (long d : shape) {
            numel *= d;
        }
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(numel).tuple();
        persistentId();
        integer(0);
        mark();
        for (long d : shape) {
            integer(d);
        }
        tuple();
        mark();
        long stride = numel;
        for (long d : shape) {
            stride = d == 0 ? 0 : stride / d;
            integer(stride);
        }
        tuple();
        bool(requiresGrad);
        global("collections", "OrderedDict").emptyTuple().reduce();
        tuple();
        reduce();
        return this;
    }
}
