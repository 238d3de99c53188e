package org.exfacegan.runner.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.runner.layout.BoundaryLine;
import org.exfacegan.runner.pipeline.fit.FitterType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's JSON utility: its two layouts, strict reading with errors naming the file and the field, atomic writing, named choices. */
class JsonTest {
    @TempDir
    Path dir;

    record Sample(int count, String name, List<Integer> values, Double missing, Map<String, Boolean> flags) {}

    @Test
    void linesAndPrettyFilesAreWrittenInTheirLayouts() {
        Sample s = new Sample(3, "a \"b\"", List.of(1, 2), null, Map.of("x", true));
        assertEquals("{\"count\": 3, \"name\": \"a \\\"b\\\"\", \"values\": [1, 2], \"missing\": null, \"flags\": {\"x\": true}}\n",
                Json.line(s));
        assertEquals("{\n  \"count\" : 3,\n  \"name\" : \"a \\\"b\\\"\",\n  \"values\" : [ 1, 2 ],\n  \"missing\" : null,\n"
                + "  \"flags\" : {\n    \"x\" : true\n  }\n}", Json.pretty(s));
        assertEquals("{\"count\":3,\"name\":\"a \\\"b\\\"\",\"values\":[1,2],\"missing\":null,\"flags\":{\"x\":true}}", Json.compact(s));
    }

    @Test
    void strictReadingNamesTheFileTheLineAndTheField() throws IOException {
        Path lines = Files.writeString(dir.resolve("b.jsonl"), Json.line(new BoundaryLine(0, 3, 0.5, 0.9, 1))
                + "{\"boundary\": 1, \"reference\": \"four\", \"offset\": 0, \"held_out_accuracy\": 1, \"train_accuracy\": 1}\n");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> Json.readLines(lines, BoundaryLine.class, "run file"));
        assertEquals("run file " + lines + " line 2: /reference: wrong type: expected an integer", e.getMessage().replaceAll(", got.*", ""));

        Path unknown = Files.writeString(dir.resolve("u.jsonl"), "{\"boundary\": 1, \"refrence\": 4}\n");
        e = assertThrows(ExfaceganException.class, () -> Json.readLines(unknown, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().startsWith("run file " + unknown + " line 1: /refrence: unknown field \"refrence\"; known fields: "),
                e.getMessage());

        Path twice = Files.writeString(dir.resolve("t.json"), "{\"boundary\": 1, \"boundary\": 2}");
        e = assertThrows(ExfaceganException.class, () -> Json.read(twice, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().contains(twice + ": /boundary: given twice"), e.getMessage());

        Path cut = Files.writeString(dir.resolve("c.json"), "{\"boundary\": 1, \"refer");
        e = assertThrows(ExfaceganException.class, () -> Json.read(cut, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().startsWith("run file " + cut + ": not valid JSON at line 1"), e.getMessage());

        Path latin1 = Files.write(dir.resolve("l.json"), "{\"reason\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(ExfaceganException.class, () -> Json.read(latin1, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().contains("not UTF-8 JSON"), e.getMessage());
        e = assertThrows(ExfaceganException.class, () -> Json.readLines(latin1, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().startsWith("run file " + latin1 + ": not UTF-8 JSON lines"), e.getMessage());

        Path array = Files.writeString(dir.resolve("a.json"), "[1, 2]");
        e = assertThrows(ExfaceganException.class, () -> Json.read(array, BoundaryLine.class, "run file"));
        assertEquals("run file " + array + ": /: must be a JSON object, got array", e.getMessage());

        e = assertThrows(ExfaceganException.class, () -> Json.read(dir.resolve("none.json"), BoundaryLine.class, "run file"));
        assertEquals("run file " + dir.resolve("none.json") + ": file not found", e.getMessage());
        e = assertThrows(ExfaceganException.class, () -> Json.read(dir, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().contains("is not a regular file but a folder"), e.getMessage());
    }

    /** A value not measured is a bare NaN in the JSON lines written with fixed decimals: read back there, refused elsewhere. */
    @Test
    void bareNanIsReadFromJsonLinesOnly() throws IOException {
        String line = Json.line(new BoundaryLine(0, 3, Double.NaN, Double.NaN, 0.5));
        assertEquals("{\"boundary\": 0, \"reference\": 3, \"offset\": NaN, \"held_out_accuracy\": NaN, \"train_accuracy\": 0.5000}\n", line);
        Path file = Files.writeString(dir.resolve("b.jsonl"), line);
        assertTrue(Double.isNaN(Json.readLines(file, BoundaryLine.class, "run file").get(0).offset()));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> Json.read(file, BoundaryLine.class, "run file"));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void namedChoicesBindByTheirJsonNamesOnly() throws IOException {
        assertEquals(FitterType.LEAST_SQUARES, Json.MAPPER.readValue("\"least-squares\"", FitterType.class));
        assertEquals("\"least-squares\"", Json.compact(FitterType.LEAST_SQUARES));
        assertEquals(LatentSpace.Z, Json.MAPPER.readValue("\"z\"", LatentSpace.class)); // the api's values, by the mix-in
        assertEquals("\"w\"", Json.compact(LatentSpace.W));
        assertEquals(List.of("w", "z"), Json.names(LatentSpace.class));
        for (String wrong : new String[] {"\"LEAST_SQUARES\"", "\"Least-Squares\"", "\"least_squares\"", "\"\"", "1", "0", "true"}) {
            assertThrows(IOException.class, () -> Json.MAPPER.readValue(wrong, FitterType.class), wrong);
        }
        assertThrows(IOException.class, () -> Json.MAPPER.readValue("\"W\"", LatentSpace.class));
    }

    /** A wrong choice in a file is named with the choices there are, from the enum's own list. */
    @Test
    void aWrongChoiceIsNamedWithTheChoices() throws IOException {
        record Choice(FitterType type) {}
        Path file = Files.writeString(dir.resolve("f.json"), "{\"type\": \"lasso\"}");
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> Json.read(file, Choice.class, "file"));
        assertEquals("file " + file + ": /type: unknown value \"lasso\"; one of: least-squares, svm, paper", e.getMessage());
        Path number = Files.writeString(dir.resolve("n.json"), "{\"type\": 1}");
        e = assertThrows(ExfaceganException.class, () -> Json.read(number, Choice.class, "file"));
        assertEquals("file " + number + ": /type: unknown value 1; one of: least-squares, svm, paper", e.getMessage());
    }

    @Test
    void writeAtomicallyLeavesTheOldFileOrTheNewOneAndNoTemporary() throws IOException {
        Path file = dir.resolve("sub/out.json");
        Json.writeAtomically(file, "one\n");
        Json.writeAtomically(file, "two\n");
        assertEquals("two\n", Files.readString(file));
        try (var list = Files.list(file.getParent())) {
            assertEquals(List.of(file), list.toList(), "no temporary left");
        }
        // the temporary's place is taken by a folder: the write fails naming the file, the old content stays
        Files.createDirectories(dir.resolve("sub/out.json.tmp/x"));
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> Json.writeAtomically(file, "three\n"));
        assertTrue(e.getMessage().startsWith("cannot write " + file), e.getMessage());
        assertEquals("two\n", Files.readString(file));
    }
}
