package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.exfacegan.api.ExfaceganException;

/**
 * Strict binding of JSON to records, with one clear message per failure naming the field by its
 * JSON pointer. Shared by configs ({@link ConfigLoader}) and plugins' own files ({@link PluginJson}),
 * which differ only in how an error reads ({@link Errors}).
 */
final class StrictJson {
    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']+)'");

    private StrictJson() {}

    /** Makes the exception for an error about one file; {@code detail} is "POINTER: what" or a parse error. */
    @FunctionalInterface
    interface Errors {
        ExfaceganException error(String detail, Throwable cause);

        default ExfaceganException field(String pointer, String message) {
            return error((pointer.isEmpty() ? "/" : pointer) + ": " + message, null);
        }
    }

    /**
     * Reports unknown fields before binding: Jackson reports a missing required field first, and
     * for a typo ("psi" for "truncation_psi") the unknown name is the helpful message.
     */
    static void checkFieldNames(JsonNode node, String pointer, Class<?> type, Errors errors) {
        if (!type.isRecord() || node == null || !node.isObject()) {
            return;
        }
        Map<String, Class<?>> known = new TreeMap<>();
        Set<String> required = new HashSet<>();
        for (var c : type.getRecordComponents()) {
            String name = PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName());
            known.put(name, c.getType());
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            if (p != null && p.required()) {
                required.add(name);
            }
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var field = it.next();
            String at = pointer + "/" + escape(field.getKey());
            if (!known.containsKey(field.getKey())) {
                throw errors.field(at, "unknown field \"" + field.getKey() + "\""
                        + (pointer.isEmpty() ? "" : " in " + pointer) + "; known fields: " + String.join(", ", known.keySet()));
            }
            if (field.getValue().isNull() && required.contains(field.getKey())) {
                throw errors.field(at, "missing required field (null given)");
            }
            checkFieldNames(field.getValue(), at, known.get(field.getKey()), errors);
        }
    }

    /** One clear message from a Jackson failure; {@code prefix} is the pointer of the node that was bound. */
    static ExfaceganException translate(IOException e, String prefix, Errors errors) {
        if (e instanceof JsonParseException p) {
            var loc = p.getLocation();
            return errors.error("not valid JSON at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": "
                    + p.getOriginalMessage(), e);
        }
        if (!(e instanceof JsonMappingException m)) {
            return errors.error(e.getMessage(), e);
        }
        // Constructor checks of settings records surface as the cause: keep their message.
        Throwable cause = m.getCause();
        String pointer = prefix + pointer(m.getPath());
        if (m instanceof UnrecognizedPropertyException u) {
            String at = pointer.substring(0, Math.max(pointer.lastIndexOf('/'), 0));
            return errors.field(pointer, "unknown field \"" + u.getPropertyName() + "\""
                    + (at.isEmpty() ? "" : " in " + at) + "; known fields: " + known(u.getKnownPropertyIds()));
        }
        Matcher missing = MISSING.matcher(m.getOriginalMessage());
        if (missing.find()) {
            String field = "/" + missing.group(1);
            return errors.field(pointer.endsWith(field) ? pointer : pointer + field, "missing required field");
        }
        if (m instanceof InvalidFormatException f) {
            return errors.field(pointer, "wrong type: expected " + typeName(f.getTargetType()) + ", got " + describe(f.getValue()));
        }
        if (m instanceof InvalidDefinitionException d && d.getType() != null && !d.getType().getRawClass().isRecord()) {
            // a string where an array of numbers belongs: Jackson finds no way to make one from the other
            // (for a record it is a defect of the record, reported as Jackson words it)
            return errors.field(pointer, "wrong type: expected " + typeName(d.getType().getRawClass()));
        }
        if (m instanceof MismatchedInputException mi) {
            return errors.field(pointer, "wrong type: " + (mi.getTargetType() != null ? "expected " + typeName(mi.getTargetType())
                    : mi.getOriginalMessage()));
        }
        if (cause instanceof IllegalArgumentException iae) {
            return errors.field(pointer, iae.getMessage());
        }
        return errors.field(pointer, m.getOriginalMessage());
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            b.append('/');
            b.append(r.getFieldName() != null ? escape(r.getFieldName()) : Integer.toString(r.getIndex()));
        }
        return b.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(Object::toString).collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(", "));
    }

    private static String typeName(Class<?> t) {
        if (t == null) {
            return "another type";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t.isEnum()) {
            return "one of " + List.of(t.getEnumConstants());
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord() || JsonNode.class.isAssignableFrom(t)) {
            return "an object";
        }
        return t.getSimpleName();
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
