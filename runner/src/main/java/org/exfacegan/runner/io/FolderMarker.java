package org.exfacegan.runner.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The marker file of a folder exfacegan writes into ({@link OwnedFolder}): {@code {"format": 1, "what":
 * "exfacegan run folder"}}, one line.
 *
 * @param format the layout of the folder's files; a newer one is refused
 * @param what   what the folder holds, for a person who finds it
 */
public record FolderMarker(int format, String what) {
    /**
     * The format a marker names, read as far as its {@code format} field and no further: a marker
     * written by a newer exfacegan may add fields, and one cut short by a crash still names its
     * format if the field was written. {@code fallback} when the field cannot be read.
     */
    static int formatOf(byte[] head, int fallback) {
        try (JsonParser p = Json.MAPPER.createParser(head)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return fallback;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("format")) {
                    return value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : fallback;
                }
                p.skipChildren();
            }
            return fallback;
        } catch (IOException e) { // cut short or damaged before the field: still ours
            return fallback;
        }
    }
}
