package org.exfacegan.runner.io;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

/**
 * A number written with a fixed count of decimals ({@code "%.6f"}: 0.123457), as the JSON-lines
 * files of a run have always been written: the same number gives the same bytes on every run, and a
 * value not measured (NaN) is the bare token {@code NaN}, as {@code String.format} prints it. A
 * null stays {@code null}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@JacksonAnnotationsInside
@JsonSerialize(using = Decimals.Writer.class)
public @interface Decimals {
    /** Digits after the point. */
    int value();

    /** Writes the annotated number as {@code String.format(Locale.ROOT, "%.Nf", value)}. */
    final class Writer extends StdSerializer<Number> implements ContextualSerializer {
        private final String format;

        public Writer() {
            this(6);
        }

        private Writer(int decimals) {
            super(Number.class);
            this.format = "%." + decimals + "f";
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property) {
            Decimals d = property == null ? null : property.getAnnotation(Decimals.class);
            return d == null ? this : new Writer(d.value());
        }

        @Override
        public void serialize(Number value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeNumber(String.format(Locale.ROOT, format, value.doubleValue()));
        }
    }
}
