package org.exfacegan.training.torchscript;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One module instance of a TorchScript archive: a {@link ScriptClass} with a value for every field
 * (float tensors for parameters and buffers, numbers, sub-modules). Parameters are named in
 * {@code state_dict} style through the tree ({@code layer1.0.conv1.weight}).
 */
public final class ScriptModule {
    /** A float32 tensor, row-major; {@code trainable} false keeps a parameter fixed (requires_grad False). */
    public record Tensor(long[] shape, float[] data, boolean trainable) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("tensor of shape " + java.util.Arrays.toString(shape) + " needs " + n
                        + " values, got " + data.length);
            }
        }
    }

    private final ScriptClass type;
    private final Map<String, Object> values = new LinkedHashMap<>();

    public ScriptModule(ScriptClass type) {
        this.type = type;
    }

    public ScriptClass type() {
        return type;
    }

    public ScriptModule set(String field, Object value) {
        ScriptClass.Field f = type.fields().get(field);
        if (f == null) {
            throw new IllegalArgumentException("class " + type.name() + " has no field " + field);
        }
        boolean ok = switch (f.kind()) {
            case PARAMETER, BUFFER -> value instanceof Tensor;
            case INT -> value instanceof Integer || value instanceof Long;
            case FLOAT -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case MODULE -> value instanceof ScriptModule m && m.type == f.moduleType();
        };
        if (!ok) {
            throw new IllegalArgumentException("field " + type.name() + "." + field + " (" + f.kind() + ") cannot hold " + value);
        }
        values.put(field, value);
        return this;
    }

    Object get(String field) {
        Object v = values.get(field);
        if (v == null) {
            throw new IllegalStateException("field " + type.name() + "." + field + " has no value");
        }
        return v;
    }

    /** Every parameter (not buffer) with its dotted name, in declaration order, depth first. */
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        walk("", (name, f) -> {
            if (f.kind() == ScriptClass.Kind.PARAMETER) {
                out.put(name, (Tensor) lookup(name));
            }
        });
        return out;
    }

    /** Every class used in the tree, each once, dependencies first. */
    List<ScriptClass> classes() {
        List<ScriptClass> out = new ArrayList<>();
        collect(out);
        return out;
    }

    private void collect(List<ScriptClass> out) {
        for (ScriptClass.Field f : type.fields().values()) {
            if (f.kind() == ScriptClass.Kind.MODULE) {
                ((ScriptModule) get(f.name())).collect(out);
            }
        }
        for (ScriptClass c : out) {
            if (c != type && c.name().equals(type.name())) {
                throw new IllegalStateException("two different classes named " + type.name());
            }
        }
        if (!out.contains(type)) {
            out.add(type);
        }
    }

    private void walk(String prefix, BiConsumer<String, ScriptClass.Field> visit) {
        for (ScriptClass.Field f : type.fields().values()) {
            String name = prefix + f.name();
            if (f.kind() == ScriptClass.Kind.MODULE) {
                ((ScriptModule) get(f.name())).walk(name + ".", visit);
            } else {
                visit.accept(name, f);
            }
        }
    }

    private Object lookup(String dotted) {
        ScriptModule m = this;
        String[] parts = dotted.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            m = (ScriptModule) m.get(parts[i]);
        }
        return m.get(parts[parts.length - 1]);
    }
}
