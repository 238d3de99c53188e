package org.exfacegan.runner.cli;

import org.exfacegan.runner.dataset.ImageFiles;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.recognizer.DetectedFace;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.npy.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Embeds the faces of image files with a config's recogniser: one JSON line per face. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed the faces in images with the recogniser of a config; prints one JSON line per face",
            "({\"image\", \"face\", \"box\", \"score\", \"embedding\"}, or {\"image\", \"rejected\"} when no face is found)."})
final class EmbedCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG",
            description = "an experiment config (its recognizer is used) or a file holding just a recognizer section")
    Path config;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "image files (PNG, JPEG, ...)")
    List<Path> images;

    @Option(names = "--all-faces", description = "every face found in each image (with a detector), not only the one a run would use; "
            + "images are taken as whole images")
    boolean allFaces;

    @Option(names = "--npy", paramLabel = "FILE", description = "also write the embeddings, in output order, as float32 [n, d] .npy")
    Path npy;

    @picocli.CommandLine.Mixin
    AlignmentOption alignment;

    @Override
    public Integer call() {
        if (allFaces && Boolean.TRUE.equals(alignment.aligned)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--all-faces looks for faces in whole images; an aligned crop (--aligned) holds one");
        }
        PrintWriter out = out();
        List<float[]> rows = new ArrayList<>();
        int rejected = 0;
        try (Recognizer rec = RecognizerTool.open(global().loadPlugins(), config)) {
            for (Path file : images) {
                // one image at a time: files differ in size
                List<DetectedFace> faces;
                String reason = null;
                if (allFaces) {
                    faces = rec.embedFaces(ImageFiles.read(file)).get(0);
                    reason = faces.isEmpty() ? "no face found" : null;
                } else {
                    Embeddings e = RecognizerTool.embed(rec, file, alignment.aligned, err());
                    reason = e.rejected()[0];
                    faces = reason != null ? List.of()
                            : List.of(new DetectedFace(null, Float.NaN, null, e.vectors()[0]));
                }
                if (reason != null) {
                    rejected++;
                    ObjectNode line = ConfigLoader.MAPPER.createObjectNode().put("image", file.toString()).put("rejected", reason);
                    out.println(line);
                    continue;
                }
                for (int k = 0; k < faces.size(); k++) {
                    DetectedFace f = faces.get(k);
                    ObjectNode line = ConfigLoader.MAPPER.createObjectNode().put("image", file.toString()).put("face", k);
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
                    out.println(line);
                    rows.add(f.vector());
                }
            }
        }
        if (npy != null && !rows.isEmpty()) {
            int d = rows.get(0).length;
            float[] all = new float[rows.size() * d];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, all, i * d, d);
            }
            Npy.write(npy, all, rows.size(), d);
        }
        if (rejected > 0) {
            err().println("warning: no face found in " + rejected + " of " + images.size() + " images");
        }
        return Cli.OK;
    }
}
