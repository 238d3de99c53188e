package org.exfacegan.runner.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import org.exfacegan.api.recognizer.DetectedFace;

/**
 * A line {@code exfacegan embed} prints: a face of an image with its embedding, or an image the
 * recogniser found no face in.
 *
 * @param rejected why no face was found (only then present)
 * @param face     the face's number in its image
 * @param box      the face's box in pixels (x1, y1, x2, y2; a tenth of a pixel), when a detector found it
 * @param score    the detector's score, when a detector found it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record EmbedLine(String image, String rejected, Integer face, double[] box, Float score, float[] embedding) {
    static EmbedLine rejected(Path image, String reason) {
        return new EmbedLine(image.toString(), reason, null, null, null, null);
    }

    static EmbedLine face(Path image, int index, DetectedFace f) {
        double[] box = null;
        if (f.box() != null) {
            box = new double[f.box().length];
            for (int i = 0; i < box.length; i++) {
                box[i] = Math.round(f.box()[i] * 10) / 10.0;
            }
        }
        return new EmbedLine(image.toString(), null, index, box, Float.isNaN(f.score()) ? null : f.score(), f.vector());
    }
}
