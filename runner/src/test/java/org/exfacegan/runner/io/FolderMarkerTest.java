package org.exfacegan.runner.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder's marker names the format of its files: a newer one is refused however the marker reads, anything else is ours. */
class FolderMarkerTest {
    @TempDir
    Path dir;

    private OwnedFolder.Kind inspect(String marker) throws IOException {
        Path root = Files.createDirectories(dir.resolve("f" + System.nanoTime()));
        Files.writeString(root.resolve(".m"), marker);
        return OwnedFolder.inspect(root, ".m", "thing", p -> false);
    }

    @Test
    void theMarkerWrittenIsReadBackAsOurs() throws IOException {
        Path root = Files.createDirectories(dir.resolve("w"));
        OwnedFolder.mark(root, ".m", "thing");
        assertEquals("{\"format\": 1, \"what\": \"thing folder\"}\n", Files.readString(root.resolve(".m")));
        assertEquals(OwnedFolder.Kind.OURS, OwnedFolder.inspect(root, ".m", "thing", p -> false));
    }

    @Test
    void aNewerFormatIsRefusedWithFieldsWeDoNotKnowOrCutShort() throws IOException {
        for (String newer : new String[] {"{\"format\": 2, \"what\": \"thing folder\"}\n",
                "{\"what\": \"thing folder\", \"layout\": {\"a\": [1, 2]}, \"format\": 2}\n", "{\"format\": 2", "{\"format\": 2, \"wh"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> inspect(newer), newer);
            assertEquals(true, e.getMessage().contains("in format 2, written by a newer exfacegan (this one reads format 1)"),
                    e.getMessage());
        }
    }

    @Test
    void aMarkerOfThisFormatOrOneThatCannotBeReadIsOurs() throws IOException {
        for (String ours : new String[] {"{\"format\": 1, \"what\": \"thing folder\", \"extra\": true}\n", "", "{\"fo", "not json",
                "{\"format\": \"2\"}", "{\"format\": 1e9}", "[2]", "{\"what\": {\"format\": 2}}"}) {
            assertEquals(OwnedFolder.Kind.OURS, inspect(ours), ours);
        }
    }
}
