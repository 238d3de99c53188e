package org.exfacegan.runner.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cosine similarity of the faces of two images under a config's recogniser. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Print the cosine similarity of the faces in two images (the face a run would use in each).")
final class VerifyCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG",
            description = "an experiment config (its recognizer is used) or a file holding just a recognizer section")
    Path config;

    @Parameters(index = "1", paramLabel = "A", description = "first image")
    Path a;

    @Parameters(index = "2", paramLabel = "B", description = "second image")
    Path b;

    @Option(names = "--threshold", paramLabel = "T", description = "also say \"same\" (cosine >= T) or \"different\"")
    Double threshold;

    @picocli.CommandLine.Mixin
    AlignmentOption alignment;

    @Override
    public Integer call() {
        double cos;
        try (Recognizer rec = RecognizerTool.open(global().loadPlugins(), config)) {
            cos = RecognizerTool.cosine(embed(rec, a), embed(rec, b));
        }
        String verdict = threshold == null ? "" : cos >= threshold ? "\tsame" : "\tdifferent";
        out().printf(Locale.ROOT, "%.4f%s%n", cos, verdict);
        return Cli.OK;
    }

    private float[] embed(Recognizer rec, Path file) {
        Embeddings e = RecognizerTool.embed(rec, file, alignment.aligned, err());
        if (e.isRejected(0)) {
            throw new ExfaceganException("image " + file + ": " + e.rejected()[0]);
        }
        return e.vectors()[0];
    }
}
