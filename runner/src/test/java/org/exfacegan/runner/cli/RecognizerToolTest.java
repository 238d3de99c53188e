package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.dataset.Png;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which way verify/embed take an image file: aligned crop, whole image, or decided by its size. */
class RecognizerToolTest {
    @TempDir
    Path dir;

    /** Aligns to 4x4 crops (the top-left corner, inverted); embed says 1 for a whole image, embedAligned 2 for a crop. */
    private static class CornerRecognizer implements Recognizer {
        @Override
        public int embeddingSize() {
            return 1;
        }

        @Override
        public Embeddings embed(ImageBatch images) {
            return new Embeddings(new float[][] {{1}}, new String[1], align(images));
        }

        /** The crop embed() reports. */
        ImageBatch align(ImageBatch images) {
            byte[] out = new byte[4 * 4 * 3];
            for (int y = 0; y < 4; y++) {
                System.arraycopy(images.rgb(), y * images.width() * 3, out, y * 12, 12);
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) ~out[i];
            }
            return new ImageBatch(1, 4, 4, out);
        }

        @Override
        public Embeddings embedAligned(ImageBatch crops) {
            return new Embeddings(new float[][] {{2}}, new String[1], crops);
        }

        @Override
        public void close() {}
    }

    private Path image(String name, int size, int seed) throws IOException {
        byte[] rgb = new byte[size * size * 3];
        new java.util.Random(seed).nextBytes(rgb);
        return java.nio.file.Files.write(dir.resolve(name), Png.encode(new ImageBatch(1, size, size, rgb), 0));
    }

    @Test
    void defaultTakesAnImageOfTheInputSizeAsACropAndSaysSo() throws IOException {
        StringWriter err = new StringWriter();
        Path crop = image("crop.png", 4, 1);
        Path frame = image("frame.png", 9, 2);
        assertEquals(2f, RecognizerTool.embed(new CornerRecognizer(), crop, null, new PrintWriter(err, true)).vectors()[0][0]);
        assertTrue(err.toString().contains("note: " + crop + " is 4x4, the recognizer's input size: embedded as an aligned crop"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1f, RecognizerTool.embed(new CornerRecognizer(), frame, null, new PrintWriter(err, true)).vectors()[0][0]);
        assertEquals("", err.toString());
        assertEquals(1f, RecognizerTool.embed(new CornerRecognizer(), crop, false, new PrintWriter(err, true)).vectors()[0][0]);
        assertEquals(2f, RecognizerTool.embed(new CornerRecognizer(), crop, true, new PrintWriter(err, true)).vectors()[0][0]);
        assertEquals("", err.toString());
    }

    @Test
    void alignedRefusesAnImageOfAnotherSizeNamingBoth() throws IOException {
        Path frame = image("frame.png", 9, 2);
        ExfaceganException e = assertThrows(ExfaceganException.class,
                () -> RecognizerTool.embed(new CornerRecognizer(), frame, true, new PrintWriter(new StringWriter())));
        assertEquals("image " + frame + " is 9x9, not an aligned crop of the recognizer's input size 4x4 (--aligned takes "
                + "the crops a run writes; drop it to align a whole image)", e.getMessage());
    }

    @Test
    void aRecognizerThatDoesNotAlignGetsNoNote() throws IOException {
        Recognizer plain = new CornerRecognizer() {
            @Override
            ImageBatch align(ImageBatch images) {
                return images;
            }
        };
        StringWriter err = new StringWriter();
        RecognizerTool.embed(plain, image("a.png", 4, 3), null, new PrintWriter(err, true));
        assertEquals("", err.toString());
    }
}
