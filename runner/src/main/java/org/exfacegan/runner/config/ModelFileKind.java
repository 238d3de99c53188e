package org.exfacegan.runner.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.exfacegan.api.ProviderKind;

/**
 * Recognises model files exfacegan cannot run as given, so the error says what to do instead of
 * what a parser tripped over ("not UTF-8 JSON: byte 4 is NUL"): a training checkpoint (a Python
 * pickle, NVlabs' {@code network-snapshot-*.pkl}) must be exported first, and a backbone's graph
 * file is named inside the descriptor rather than given itself.
 */
public final class ModelFileKind {
    /** Graph files the runtimes open; a backbone descriptor names them. */
    static final List<String> GRAPH_EXTENSIONS = List.of(".onnx", ".pt", ".pth", ".ts", ".torchscript");
    private static final List<String> PICKLE_EXTENSIONS = List.of(".pkl", ".pickle");

    private ModelFileKind() {}

    /** Why {@code model} given as the model of a {@code kind} is a checkpoint to export first, or null. */
    static String checkpoint(Path model, ProviderKind kind) {
        if (!isPickle(model)) {
            return null;
        }
        String what = model + " is a Python pickle (a training checkpoint such as NVlabs' network-snapshot-*.pkl), "
                + "which exfacegan does not run: ";
        return what + (kind == ProviderKind.BACKBONE
                ? "export it first with the script for its architecture in tools/export (tools/export/README.md), e.g. "
                        + "python3 tools/export/stylegan2_ada_export.py " + model.getFileName() + " --out DIR, and give the "
                        + "descriptor DIR/model.json it writes here"
                : "export the network to ONNX (.onnx) or TorchScript (.pt) and give that file here");
    }

    /**
     * Why {@code file}, read as a plugin's JSON file ({@code description}, e.g. "model descriptor"),
     * cannot be one, or null: a graph or a checkpoint given where the descriptor belongs.
     */
    public static String notJson(Path file, String description) {
        String name = lowerName(file);
        for (String ext : GRAPH_EXTENSIONS) {
            if (name.endsWith(ext)) {
                return description + " " + file + ": is a model graph (" + ext + "), not a " + description
                        + ": give the descriptor (model.json) that tools/export writes beside the graphs; it names them "
                        + "(docs/backbones/descriptor.md)";
            }
        }
        if (isPickle(file)) {
            return description + " " + file + ": " + checkpoint(file, ProviderKind.BACKBONE);
        }
        return null;
    }

    /** A pickle by its name, or by its first bytes (protocol 2 to 5 start with 0x80 and the protocol number). */
    static boolean isPickle(Path file) {
        String name = lowerName(file);
        if (PICKLE_EXTENSIONS.stream().anyMatch(name::endsWith)) {
            return true;
        }
        if (name.endsWith(".json") || GRAPH_EXTENSIONS.stream().anyMatch(name::endsWith) || !Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
        } catch (IOException e) {
            return false; // unreadable: the caller's own check says so
        }
    }

    private static String lowerName(Path file) {
        Path name = file.getFileName();
        return name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    }
}
