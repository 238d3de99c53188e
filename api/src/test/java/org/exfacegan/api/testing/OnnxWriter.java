package org.exfacegan.api.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small ONNX models from pure Java, for tests and demo graphs (no protobuf dependency).
 *
 * <pre>{@code
 * OnnxWriter g = new OnnxWriter("tiny");
 * g.input("x", -1, 4);                         // -1: dynamic dim (dim_param "batch" on dim 0)
 * g.initializer("W", weights, 4, 3);           // float weights, row-major, shape [4, 3]
 * g.node("MatMul", List.of("x", "W"), List.of("h"));
 * g.node("Tanh", List.of("h"), List.of("y"));
 * g.output("y", -1, 3);
 * g.write(path);
 * }</pre>
 *
 * Any operator can be written: attributes via {@link Node#attrInt} and friends, shape/axes
 * inputs via {@link #initializerInt64}. Defaults: ir_version 8, default-domain opset 17.
 * Type and shape of intermediate values are left to the runtime's inference.
 */
public final class OnnxWriter {
    /** ONNX TensorProto.DataType values used here. */
    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    private final String graphName;
    private long irVersion = 8;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final List<Init> initializers = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private boolean externalData;

    public OnnxWriter(String graphName) {
        this.graphName = graphName;
        opsets.put("", 17L);
    }

    /** Sets the default-domain ("ai.onnx") opset version. */
    public OnnxWriter opset(int version) {
        opsets.put("", (long) version);
        return this;
    }

    /** Adds or replaces the opset import of another domain (for custom-domain nodes). */
    public OnnxWriter opsetImport(String domain, int version) {
        opsets.put(domain, (long) version);
        return this;
    }

    public OnnxWriter irVersion(int version) {
        irVersion = version;
        return this;
    }

    /**
     * When true, {@link #write} stores float initializer data in a file beside the model,
     * {@code <model file name>.data}, as torch's dynamo exporter does for large models.
     */
    public OnnxWriter externalData(boolean external) {
        externalData = external;
        return this;
    }

    /**
     * Declares a float graph input. A negative dim is dynamic: dim_param "batch" on dim 0,
     * "d{i}" on others. Use {@link #inputTyped} for own symbol names.
     */
    public OnnxWriter input(String name, long... dims) {
        inputs.add(valueInfo(name, FLOAT, boxed(dims)));
        return this;
    }

    /**
     * Declares a graph input of element type {@code elemType} ({@link #FLOAT}, {@link #INT64}, or
     * any ONNX DataType); each dim is a Number (negative: dynamic, as above) or a String (dim_param).
     */
    public OnnxWriter inputTyped(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    /** Declares a float graph output; dims as in {@link #input(String, long...)}. */
    public OnnxWriter output(String name, long... dims) {
        outputs.add(valueInfo(name, FLOAT, boxed(dims)));
        return this;
    }

    /** Declares a graph output; dims as in {@link #inputTyped}. */
    public OnnxWriter outputTyped(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    /** A float constant (weights), row-major; {@code data.length} must equal the product of dims. */
    public OnnxWriter initializer(String name, float[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        initializers.add(new Init(name, FLOAT, dims.clone(), b.array()));
        return this;
    }

    /** An int64 constant, e.g. the shape input of Reshape or the axes/starts/ends of Slice. */
    public OnnxWriter initializerInt64(String name, long[] data, long... dims) {
        checkCount(name, data.length, dims);
        ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        initializers.add(new Init(name, INT64, dims.clone(), b.array()));
        return this;
    }

    /** A 1-D int64 constant holding {@code values}. */
    public OnnxWriter int64s(String name, long... values) {
        return initializerInt64(name, values, values.length);
    }

    /** Adds a node of the default domain; the returned node takes attributes. */
    public Node node(String opType, List<String> inputNames, List<String> outputNames) {
        Node n = new Node(opType, opType.toLowerCase() + "_" + nodes.size(), inputNames, outputNames);
        nodes.add(n);
        return n;
    }

    /** The serialized ModelProto (with {@link #externalData} on, the data file is only made by {@link #write}). */
    public byte[] toBytes() {
        return model(null, null);
    }

    /** Writes the model (and its {@code .data} file when {@link #externalData} is on). */
    public Path write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (externalData) {
                String location = file.getFileName() + ".data";
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                byte[] model = model(location, data);
                Files.write(file.resolveSibling(location), data.toByteArray());
                Files.write(file, model);
            } else {
                Files.write(file, model(null, null));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] model(String dataLocation, ByteArrayOutputStream data) {
        Proto graph = new Proto();
        for (Node n : nodes) {
            graph.message(1, n.encode());
        }
        graph.string(2, graphName);
        for (Init t : initializers) {
            graph.message(5, t.encode(dataLocation, data));
        }
        for (byte[] v : inputs) {
            graph.message(11, v);
        }
        for (byte[] v : outputs) {
            graph.message(12, v);
        }
        Proto m = new Proto();
        m.int64(1, irVersion);
        m.string(2, "exfacegan-onnxwriter");
        m.message(7, graph.bytes());
        opsets.forEach((domain, version) -> {
            Proto op = new Proto();
            op.string(1, domain);
            op.int64(2, version);
            m.message(8, op.bytes());
        });
        return m.bytes();
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("initializer " + name + ": dims hold " + n + " values, data has " + count);
        }
    }

    private static Object[] boxed(long[] dims) {
        Object[] o = new Object[dims.length];
        for (int i = 0; i < dims.length; i++) {
            o[i] = dims[i];
        }
        return o;
    }

    private static byte[] valueInfo(String name, int elemType, Object[] dims) {
        Proto shape = new Proto();
        for (int i = 0; i < dims.length; i++) {
            Proto dim = new Proto();
            if (dims[i] instanceof String s) {
                dim.string(2, s);
            } else if (dims[i] instanceof Number num) {
                long d = num.longValue();
                if (d >= 0) {
                    dim.int64(1, d);
                } else {
                    dim.string(2, i == 0 ? "batch" : "d" + i);
                }
            } else {
                throw new IllegalArgumentException("dim must be a Number or a String: " + dims[i]);
            }
            shape.message(1, dim.bytes());
        }
        Proto tensorType = new Proto();
        tensorType.int64(1, elemType);
        tensorType.message(2, shape.bytes());
        Proto type = new Proto();
        type.message(1, tensorType.bytes());
        Proto v = new Proto();
        v.string(1, name);
        v.message(2, type.bytes());
        return v.bytes();
    }

    private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) {
            t.int64(1, d);
        }
        t.int64(2, dataType);
        t.string(8, name);
        t.bytes(9, raw);
        return t.bytes();
    }

    private record Init(String name, int dataType, long[] dims, byte[] raw) {
        byte[] encode(String dataLocation, ByteArrayOutputStream data) {
            if (dataLocation == null || dataType != FLOAT) { // shape/axes constants stay inline for shape inference
                return tensor(name, dataType, dims, raw);
            }
            Proto t = new Proto();
            for (long d : dims) {
                t.int64(1, d);
            }
            t.int64(2, dataType);
            t.string(8, name);
            t.message(13, entry("location", dataLocation));
            t.message(13, entry("offset", Integer.toString(data.size())));
            t.message(13, entry("length", Integer.toString(raw.length)));
            t.int64(14, 1); // data_location = EXTERNAL
            data.writeBytes(raw);
            return t.bytes();
        }

        private static byte[] entry(String key, String value) {
            Proto e = new Proto();
            e.string(1, key);
            e.string(2, value);
            return e.bytes();
        }
    }

    /** One graph node; attribute setters return the node for chaining. */
    public static final class Node {
        private final String opType;
        private String name;
        private String domain = "";
        private final List<String> inputs;
        private final List<String> outputs;
        private final List<byte[]> attributes = new ArrayList<>();

        private Node(String opType, String name, List<String> inputs, List<String> outputs) {
            this.opType = opType;
            this.name = name;
            this.inputs = List.copyOf(inputs);
            this.outputs = List.copyOf(outputs);
        }

        public Node name(String nodeName) {
            name = nodeName;
            return this;
        }

        /** Operator domain for custom ops (declare it with {@link OnnxWriter#opsetImport}). */
        public Node domain(String opDomain) {
            domain = opDomain;
            return this;
        }

        public Node attrInt(String attr, long value) {
            Proto a = head(attr, 2);
            a.int64(3, value);
            return add(a);
        }

        public Node attrFloat(String attr, float value) {
            Proto a = head(attr, 1);
            a.float32(2, value);
            return add(a);
        }

        public Node attrInts(String attr, long... values) {
            Proto a = head(attr, 7);
            for (long v : values) {
                a.int64(8, v);
            }
            return add(a);
        }

        public Node attrFloats(String attr, float... values) {
            Proto a = head(attr, 6);
            for (float v : values) {
                a.float32(7, v);
            }
            return add(a);
        }

        public Node attrString(String attr, String value) {
            Proto a = head(attr, 3);
            a.bytes(4, value.getBytes(StandardCharsets.UTF_8));
            return add(a);
        }

        /** A float tensor attribute, e.g. the {@code value} of a Constant node. */
        public Node attrTensor(String attr, float[] data, long... dims) {
            checkCount(attr, data.length, dims);
            ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            return tensorAttr(attr, tensor(attr, FLOAT, dims, b.array()));
        }

        /** An int64 tensor attribute, e.g. a Constant node holding a shape. */
        public Node attrTensorInt64(String attr, long[] data, long... dims) {
            checkCount(attr, data.length, dims);
            ByteBuffer b = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(data);
            return tensorAttr(attr, tensor(attr, INT64, dims, b.array()));
        }

        private Node tensorAttr(String attr, byte[] tensor) {
            Proto a = head(attr, 4);
            a.message(5, tensor);
            return add(a);
        }

        private static Proto head(String attr, int type) {
            Proto a = new Proto();
            a.string(1, attr);
            a.int64(20, type);
            return a;
        }

        private Node add(Proto attribute) {
            attributes.add(attribute.bytes());
            return this;
        }

        private byte[] encode() {
            Proto n = new Proto();
            for (String i : inputs) {
                n.string(1, i);
            }
            for (String o : outputs) {
                n.string(2, o);
            }
            n.string(3, name);
            n.string(4, opType);
            for (byte[] a : attributes) {
                n.message(5, a);
            }
            if (!domain.isEmpty()) {
                n.string(7, domain);
            }
            return n.bytes();
        }
    }

    /** Minimal protobuf encoder: varints, fixed32 floats, length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void int64(int field, long value) {
            varint(((long) field << 3));
            varint(value);
        }

        void float32(int field, float value) {
            varint(((long) field << 3) | 5);
            int bits = Float.floatToRawIntBits(value);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, byte[] encoded) {
            bytes(field, encoded);
        }

        void bytes(int field, byte[] value) {
            varint(((long) field << 3) | 2);
            varint(value.length);
            out.writeBytes(value);
        }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
