package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.dataset.ImageFiles;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Pipeline;

/** What the embed and verify commands share: opening the recogniser of a config. */
final class RecognizerTool {
    private RecognizerTool() {}

    /** The recogniser of {@code config} (an experiment config or just a recognizer section), opened. */
    static Recognizer open(PluginRegistry registry, Path config) {
        ResolvedComponent c = new ConfigLoader(registry).loadRecognizer(config);
        return Pipeline.openRecognizer(c, Pipeline.modelHost(registry));
    }

    /**
     * Embeds one image file as {@code aligned} says: true, as an aligned crop (a dataset image, fed as it
     * is); false, as a whole image the recogniser aligns; null (no option), as a crop exactly when it
     * is already of the recogniser's input size (the size of its aligned crops), with a note on {@code err}.
     */
    static Embeddings embed(Recognizer rec, Path file, Boolean aligned, PrintWriter err) {
        ImageBatch image = ImageFiles.read(file);
        Embeddings whole = rec.embed(image); // aligned as a whole image; its crop tells the input size
        if (Boolean.FALSE.equals(aligned)) {
            return whole;
        }
        ImageBatch crop = whole.crops();
        boolean inputSize = crop.width() == image.width() && crop.height() == image.height();
        if (Boolean.TRUE.equals(aligned)) {
            if (!inputSize) {
                throw new ExfaceganException("image " + file + " is " + image.width() + "x" + image.height()
                        + ", not an aligned crop of the recognizer's input size " + crop.width() + "x" + crop.height()
                        + " (--aligned takes the crops a run writes; drop it to align a whole image)");
            }
            return rec.embedAligned(image);
        }
        if (inputSize && !Arrays.equals(crop.rgb(), image.rgb())) { // a recogniser that does not align changes nothing
            err.println("note: " + file + " is " + image.width() + "x" + image.height() + ", the recognizer's input size: "
                    + "embedded as an aligned crop, as --aligned does (--no-aligned aligns it as a whole image)");
            return rec.embedAligned(image);
        }
        return whole;
    }

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }
}
