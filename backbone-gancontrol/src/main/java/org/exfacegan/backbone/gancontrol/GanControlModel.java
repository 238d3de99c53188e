package org.exfacegan.backbone.gancontrol;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.SubLatent;

/**
 * A checked GAN-Control descriptor: values in range, files resolved beside the descriptor, sub-latents
 * in order. Every error names the descriptor file and the field by its JSON pointer.
 */
final class GanControlModel {
    /** Far above the real model (512-d latent, 16 copies, 512 px); keeps a hostile file from asking for absurd allocations. */
    static final int MAX_DIM = 1 << 14;
    static final int MAX_LAYERS = 1 << 8;
    static final int MAX_RESOLUTION = 1 << 14;

    final Path file;
    final int latentDim;
    final int numWs;
    final int resolution;
    final List<SubLatent> subLatents;
    final float[] wAvg;
    final Path mappingFile;
    final String mappingInput;
    final String mappingOutput;
    final Path synthesisFile;
    final String synthesisInput;
    final String synthesisOutput;
    final String groundTruthOutput;
    final String nuisanceOutput;

    private GanControlModel(Path file, GanControlDescriptor d) {
        this.file = file;
        if (d.formatVersion() != 1) {
            throw error("/format_version", "expected 1, got " + d.formatVersion());
        }
        if (!"gancontrol".equals(d.backbone())) {
            throw error("/backbone", "expected \"gancontrol\", got \"" + d.backbone() + "\" (the descriptor is for another backbone plugin)");
        }
        latentDim = range("/latent_dim", d.latentDim(), MAX_DIM);
        numWs = range("/num_ws", d.numWs(), MAX_LAYERS);
        resolution = range("/resolution", d.resolution(), MAX_RESOLUTION);
        subLatents = subLatents(d.subLatents());
        if (d.wAvg().length != latentDim) {
            throw error("/w_avg", "expected " + latentDim + " numbers (latent_dim), got " + d.wAvg().length);
        }
        for (int i = 0; i < latentDim; i++) {
            if (!Float.isFinite(d.wAvg()[i])) {
                throw error("/w_avg/" + i, "expected a finite number, got " + d.wAvg()[i]);
            }
        }
        wAvg = d.wAvg().clone();
        mappingFile = existingFile("/mapping/file", d.mapping().file());
        mappingInput = name("/mapping/input", d.mapping().input(), "z");
        mappingOutput = name("/mapping/output", d.mapping().output(), "w");
        if (d.mapping().groundTruthOutput() != null) {
            throw error("/mapping/ground_truth_output", "only the synthesis has a ground-truth output; remove the field");
        }
        if (d.mapping().nuisanceOutput() != null) {
            throw error("/mapping/nuisance_output", "only the synthesis has a nuisance output; remove the field");
        }
        synthesisFile = existingFile("/synthesis/file", d.synthesis().file());
        synthesisInput = name("/synthesis/input", d.synthesis().input(), "ws");
        synthesisOutput = name("/synthesis/output", d.synthesis().output(), "img");
        groundTruthOutput = d.synthesis().groundTruthOutput() == null ? null
                : name("/synthesis/ground_truth_output", d.synthesis().groundTruthOutput(), null);
        nuisanceOutput = d.synthesis().nuisanceOutput() == null ? null
                : name("/synthesis/nuisance_output", d.synthesis().nuisanceOutput(), null);
    }

    /** Binds the descriptor with the host's strict JSON reader, then checks it. */
    static GanControlModel read(PluginContext context) {
        Path file = context.model().toAbsolutePath().normalize();
        return new GanControlModel(file, context.readJson(file, GanControlDescriptor.class, "model descriptor"));
    }

    ExfaceganException error(String pointer, String what) {
        return new ExfaceganException("model descriptor " + file + ": " + pointer + ": " + what);
    }

    private int range(String pointer, int value, int max) {
        if (value < 1 || value > max) {
            throw error(pointer, "expected an integer >= 1 and <= " + max + ", got " + value);
        }
        return value;
    }

    private String name(String pointer, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isEmpty()) {
            throw error(pointer, "expected a non-empty tensor name");
        }
        return value;
    }

    private Path existingFile(String pointer, String name) {
        if (name == null || name.isEmpty()) {
            throw error(pointer, "expected a file name");
        }
        Path p;
        try {
            p = file.getParent().resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw error(pointer, "\"" + name + "\" is not a valid file name (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(p)) {
            throw error(pointer, "file " + p + " does not exist");
        }
        return p;
    }

    /**
     * The sub-latents sorted by start; like the official generator (which concatenates the sub-latents'
     * mapping outputs in that order) they must cover [0, latent_dim) exactly.
     */
    private List<SubLatent> subLatents(Map<String, int[]> given) {
        List<SubLatent> out = new ArrayList<>();
        for (Map.Entry<String, int[]> e : given.entrySet()) {
            String pointer = "/sub_latents/" + e.getKey().replace("~", "~0").replace("/", "~1");
            int[] r = e.getValue();
            if (e.getKey().isEmpty() || r == null || r.length != 2 || r[0] < 0 || r[1] <= r[0] || r[1] > latentDim) {
                throw error(pointer, "expected a name and [start, end) with 0 <= start < end <= " + latentDim
                        + " (latent_dim), got " + (r == null ? "null" : java.util.Arrays.toString(r)));
            }
            out.add(new SubLatent(e.getKey(), r[0], r[1]));
        }
        out.sort(Comparator.comparingInt(SubLatent::start));
        int next = 0;
        for (SubLatent s : out) {
            if (s.start() != next) {
                throw error("/sub_latents/" + s.name(), (s.start() < next ? "overlaps the sub-latent before it" : "leaves a gap")
                        + ": it starts at " + s.start() + ", the sub-latents before it end at " + next
                        + " (they must cover [0, " + latentDim + ") without gaps or overlaps)");
            }
            next = s.end();
        }
        if (next != latentDim) {
            throw error("/sub_latents", "the sub-latents end at " + next + " but latent_dim is " + latentDim
                    + " (they must cover [0, " + latentDim + ") without gaps or overlaps)");
        }
        return List.copyOf(out);
    }
}
