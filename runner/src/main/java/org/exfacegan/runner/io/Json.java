package org.exfacegan.runner.io;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.LatentSpace;

/**
 * The runner's JSON: one configured mapper (configs, providers' settings, plugins' files, every file
 * a run or a command writes or reads), strict reading into records with errors naming the file and
 * the field by its JSON pointer, and the two layouts files are written in: {@link #pretty} (indented)
 * and {@link #line} (one object per line, JSON lines).
 */
public final class Json {
    /** snake_case field names, strict: unknown, repeated or mistyped fields are errors, never guessed. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS) // 1 is not the second fitter
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // not "last one wins"
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // "" is not a number: without this Jackson reads "probes": "" as null
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            // the api has no Jackson: its named values get their JSON names here
            .addMixIn(LatentSpace.class, NamedByJsonName.class)
            .addModule(new SimpleModule().setDeserializerModifier(new ExactNames()))
            .build();

    /** How {@link #pretty} indents: Jackson's default printer, as every pretty file has always been written. */
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    /** One object per line, {@code {"a": 1, "b": [1, 2]}}: spaces after colons and commas, as the JSON-lines files have always been written. */
    private static final ObjectWriter LINE = MAPPER.writer(new MinimalPrettyPrinter() {
        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }
    });

    private static final ObjectReader STRICT = MAPPER.reader();
    /** JSON lines exfacegan writes with fixed decimals hold NaN as a bare token (e.g. "offset": NaN): accepted there only. */
    private static final ObjectReader LINES = MAPPER.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

    /** Largest JSON file read whole (a run.json of a paper-size run is a few KiB; a manifest is read line by line). */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private Json() {}

    /** Mix-in of the api's named values: their {@code jsonName()} is their JSON value. */
    private interface NamedByJsonName {
        @JsonValue
        String jsonName();
    }

    /**
     * Our named choices are read by their exact names: Jackson would also take " median" (it trims),
     * a value no writer of ours makes and the user did not mean exactly.
     */
    private static final class ExactNames extends BeanDeserializerModifier {
        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
            Class<?> c = type.getRawClass();
            if (!JsonName.class.isAssignableFrom(c) && c != LatentSpace.class) {
                return deserializer;
            }
            return new ExactName(c, deserializer);
        }
    }

    /** Refuses a name with blanks around it, then reads as Jackson does. */
    private static final class ExactName extends StdDeserializer<Object> {
        private final JsonDeserializer<?> delegate;

        ExactName(Class<?> type, JsonDeserializer<?> delegate) {
            super(type);
            this.delegate = delegate;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING) && !p.getText().equals(p.getText().strip())) {
                return ctxt.handleWeirdStringValue(handledType(), p.getText(), "not one of the names of %s", handledType().getSimpleName());
            }
            return delegate.deserialize(p, ctxt);
        }
    }

    /** {@code value} as indented JSON (no newline at the end). */
    public static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as one line of JSON lines, newline included. */
    public static String line(Object value) {
        try {
            return LINE.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** {@code value} as compact JSON on one line ({@code {"a":1}}), as printed to standard output. */
    public static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The JSON names of an enum's values, in declaration order (for messages and docs). */
    public static List<String> names(Class<? extends Enum<?>> type) {
        List<String> out = new ArrayList<>();
        for (Enum<?> e : type.getEnumConstants()) {
            out.add(MAPPER.convertValue(e, String.class));
        }
        return out;
    }

    /**
     * A JSON file bound strictly to {@code type}; every error is an {@link ExfaceganException} naming
     * {@code what} (e.g. "run.json"), the file, and the field at fault by its JSON pointer.
     */
    public static <T> T read(Path file, Class<T> type, String what) {
        StrictJson.Errors errors = errors(what + " " + file);
        return parse(STRICT, text(file, errors), type, errors);
    }

    /** Every non-blank line of a JSON-lines file, each bound strictly; errors name the file, the line and the field. */
    public static <T> List<T> readLines(Path file, Class<T> type, String what) {
        List<T> out = new ArrayList<>();
        forEachLine(file, type, what, out::add);
        return out;
    }

    /**
     * Each non-blank line of a JSON-lines file, bound strictly, handed to {@code each} in order; the
     * file is streamed (a manifest of 600,000 images is larger than any file read whole).
     */
    public static <T> void forEachLine(Path file, Class<T> type, String what, Consumer<T> each) {
        StrictJson.Errors errors = errors(what + " " + file);
        String unusable = InputFiles.problem(file, Long.MAX_VALUE);
        if (unusable != null) {
            throw errors.error(Files.exists(file) ? unusable : "file not found", null);
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), utf8))) {
            int n = 0;
            for (String line; (line = in.readLine()) != null; ) {
                n++;
                if (!line.isBlank()) {
                    each.accept(parse(LINES, line, type, errors(what + " " + file + " line " + (n))));
                }
            }
        } catch (CharacterCodingException e) {
            throw errors.error("not UTF-8 JSON lines: " + e, e);
        } catch (IOException e) {
            throw errors.error("cannot read: " + e.getMessage(), e);
        }
    }

    private static <T> T parse(ObjectReader reader, String text, Class<T> type, StrictJson.Errors errors) {
        try {
            JsonNode tree = reader.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw errors.field("", "must be a JSON object, got " + (tree == null || tree.isMissingNode() ? "an empty file"
                        : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            StrictJson.checkFieldNames(tree, "", type, errors);
            return reader.forType(type).readValue(tree);
        } catch (IOException e) {
            throw StrictJson.translate(e, "", errors);
        } catch (IllegalArgumentException e) { // a record's own check, on the whole object
            throw errors.field("", e.getMessage());
        }
    }

    private static String text(Path file, StrictJson.Errors errors) {
        try {
            String unusable = InputFiles.problem(file, MAX_FILE_BYTES);
            if (unusable != null) {
                throw errors.error(Files.exists(file) ? unusable : "file not found", null);
            }
            return Utf8Text.decode(Files.readAllBytes(file), problem -> errors.error("not UTF-8 JSON: " + problem, null));
        } catch (NoSuchFileException e) {
            throw errors.error("file not found", e);
        } catch (IOException e) {
            throw errors.error("cannot read: " + e.getMessage(), e);
        }
    }

    private static StrictJson.Errors errors(String source) {
        return (detail, cause) -> new ExfaceganException(source + ": " + detail, cause);
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file beside it, renamed into place: a
     * reader sees the old file or the new one, never a part. For files outside a run folder (a run
     * writes through its own temporaries folder, {@code RunFolder}).
     */
    public static void writeAtomically(Path file, String text) {
        Path abs = file.toAbsolutePath().normalize();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(abs.getParent());
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do: the error below names the file
            }
            throw new ExfaceganException("cannot write " + abs + ": " + e.getMessage(), e);
        }
    }
}
