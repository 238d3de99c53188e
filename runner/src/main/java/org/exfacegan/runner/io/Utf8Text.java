package org.exfacegan.runner.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Configs and the files exfacegan reads are UTF-8 JSON: other encodings and binary files are named as such, not reported as bad JSON. */
public final class Utf8Text {
    private Utf8Text() {}

    /** The text of {@code bytes} (a UTF-8 byte order mark dropped), or the exception {@code error} makes of the problem. */
    public static String decode(byte[] bytes, Function<String, RuntimeException> error) {
        if (startsWith(bytes, 0xFF, 0xFE) || startsWith(bytes, 0xFE, 0xFF)) {
            throw error.apply("it starts with a UTF-16 byte order mark (UTF-16 text)");
        }
        int from = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw error.apply("byte " + i + " is NUL (UTF-16 text, or a binary file?)");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, bytes.length - from)).toString();
        } catch (MalformedInputException e) {
            int at = offsetOfBad(bytes, from);
            throw error.apply(String.format("byte %d (0x%02X) is not valid UTF-8 (Latin-1 or another 8-bit encoding, or a "
                    + "binary file?)", at, bytes[at] & 0xFF));
        } catch (CharacterCodingException e) {
            throw error.apply(e.toString());
        }
    }

    /** The first byte where decoding fails. */
    private static int offsetOfBad(byte[] bytes, int from) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : from;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
