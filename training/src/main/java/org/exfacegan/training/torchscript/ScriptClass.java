package org.exfacegan.training.torchscript;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A TorchScript module class as the archive's {@code code/} folder declares it: its fields
 * (parameters, buffers, int/float/bool attributes, sub-modules) and the source of its
 * {@code forward(self, x: Tensor) -> Tensor}. Every instance of one class has the same fields;
 * {@link ScriptModule} checks its values against them.
 */
public final class ScriptClass {
    /** Python module all our classes live in: {@code code/__torch__/exfacegan/nn.py}. */
    public static final String QUALIFIER = "__torch__.exfacegan.nn";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    enum Kind { PARAMETER, BUFFER, INT, FLOAT, BOOL, MODULE }

    record Field(String name, Kind kind, ScriptClass moduleType) {}

    private final String name;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final List<String> forward = new ArrayList<>();

    public ScriptClass(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("class name " + name);
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String qualifiedName() {
        return QUALIFIER + "." + name;
    }

    public ScriptClass parameter(String field) {
        return add(new Field(field, Kind.PARAMETER, null));
    }

    public ScriptClass buffer(String field) {
        return add(new Field(field, Kind.BUFFER, null));
    }

    public ScriptClass intAttribute(String field) {
        return add(new Field(field, Kind.INT, null));
    }

    public ScriptClass floatAttribute(String field) {
        return add(new Field(field, Kind.FLOAT, null));
    }

    public ScriptClass module(String field, ScriptClass type) {
        return add(new Field(field, Kind.MODULE, type));
    }

    /** One line of forward's body (indentation below the def is added), e.g. {@code return self.fc.forward(x)}. */
    public ScriptClass line(String code) {
        forward.add(code);
        return this;
    }

    private ScriptClass add(Field f) {
        if (f.name().equals("training") || fields.putIfAbsent(f.name(), f) != null) {
            throw new IllegalArgumentException("field " + f.name() + " twice in class " + name);
        }
        return this;
    }

    Map<String, Field> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** The class as TorchScript's serialized code format writes it. */
    String source() {
        StringBuilder b = new StringBuilder();
        b.append("class ").append(name).append("(Module):\n");
        b.append("  __parameters__ = [").append(names(Kind.PARAMETER)).append("]\n");
        b.append("  __buffers__ = [").append(names(Kind.BUFFER)).append("]\n");
        b.append("  training : bool\n");
        for (Field f : fields.values()) {
            String type = switch (f.kind()) {
                case PARAMETER, BUFFER -> "Tensor";
                case INT -> "int";
                case FLOAT -> "float";
                case BOOL -> "bool";
                case MODULE -> f.moduleType().qualifiedName();
            };
            if (IDENTIFIER.matcher(f.name()).matches()) {
                b.append("  ").append(f.name()).append(" : ").append(type).append('\n');
            } else {
                b.append("  __annotations__[\"").append(f.name()).append("\"] = ").append(type).append('\n');
            }
        }
        b.append("  def forward(self: ").append(qualifiedName()).append(",\n    x: Tensor) -> Tensor:\n");
        if (forward.isEmpty()) {
            throw new IllegalStateException("class " + name + " has no forward code");
        }
        for (String l : forward) {
            b.append("    ").append(l).append('\n');
        }
        return b.toString();
    }

    private String names(Kind kind) {
        StringBuilder b = new StringBuilder();
        for (Field f : fields.values()) {
            if (f.kind() == kind) {
                b.append('"').append(f.name()).append("\", ");
            }
        }
        return b.toString();
    }
}
