package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.exfacegan.api.recognizer.DetectedFace;
import org.exfacegan.runner.io.Json;
import org.junit.jupiter.api.Test;

/** The lines {@code embed} prints are the ones the node-by-node writer it replaced printed, with and without a detector. */
class EmbedLineTest {
    /** The old writer, kept as the oracle. */
    private static String old(Path file, int k, DetectedFace f) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("image", file.toString()).put("face", k);
        if (f.box() != null) {
            ArrayNode box = line.putArray("box");
            for (float v : f.box()) {
                box.add(Math.round(v * 10) / 10.0);
            }
        }
        if (!Float.isNaN(f.score())) {
            line.put("score", f.score());
        }
        ArrayNode emb = line.putArray("embedding");
        for (float v : f.vector()) {
            emb.add(v);
        }
        return line.toString();
    }

    @Test
    void linesAreTheOldLines() {
        Path file = Path.of("photos/a \"b\".png");
        float[] vector = {0.1f, -0.30000001f, 1e-8f, Float.MIN_VALUE, 0.5f, -0f};
        DetectedFace detected = new DetectedFace(new float[] {12.34f, 5.05f, 99.95f, 140.0f}, 0.87654321f, new float[10], vector);
        DetectedFace aligned = new DetectedFace(null, Float.NaN, null, vector);
        assertEquals(old(file, 2, detected), Json.compact(EmbedLine.face(file, 2, detected)));
        assertEquals(old(file, 0, aligned), Json.compact(EmbedLine.face(file, 0, aligned)));
        ObjectNode rejected = Json.MAPPER.createObjectNode().put("image", file.toString()).put("rejected", "no face found");
        assertEquals(rejected.toString(), Json.compact(EmbedLine.rejected(file, "no face found")));
    }
}
