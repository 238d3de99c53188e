package org.exfacegan.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunSummary;

/**
 * The files of a finished run folder that the report reads: {@code run.json} (provenance, timings),
 * {@code summary.json}, {@code manifest.jsonl} grouped by identity, {@code boundaries.jsonl}.
 *
 * @param folder     the run folder
 * @param runJson    provenance, config and timings
 * @param summary    the run's own summary
 * @param identities the written images per identity, in manifest order
 * @param heldOut    held-out accuracy per boundary
 */
public record FinishedRun(Path folder, JsonNode runJson, RunSummary summary, List<IdentityImages> identities,
                          double[] heldOut) {

    /**
     * One identity's written images.
     *
     * @param name         folder name under images/
     * @param side         +1: the reference's side; -1: the far side (a second identity from one reference)
     * @param files        image files, relative to the run folder
     * @param similarities cosine to the reference the pipeline recorded when it wrote each image
     */
    public record IdentityImages(String name, int side, List<String> files, List<Double> similarities) {}

    public static FinishedRun read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ExfaceganException("run folder not found: " + folder);
        }
        JsonNode run = json(folder.resolve(Pipeline.RUN_JSON));
        String status = run.path("status").asText("");
        if (!status.equals("complete")) {
            throw new ExfaceganException("run " + folder + " is not finished (run.json status \"" + status
                    + "\"): finish it with 'exfacegan run' on its config first");
        }
        RunSummary summary;
        try {
            summary = ConfigLoader.MAPPER.treeToValue(json(folder.resolve("summary.json")), RunSummary.class);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + folder.resolve("summary.json") + ": " + e.getMessage(), e);
        }
        Map<String, IdentityImages> ids = new LinkedHashMap<>();
        for (String line : lines(folder.resolve("manifest.jsonl"))) {
            JsonNode n = parse(line, folder.resolve("manifest.jsonl"));
            String name = n.get("identity").asText();
            IdentityImages id = ids.computeIfAbsent(name, k -> new IdentityImages(k, n.get("side").asInt(),
                    new ArrayList<>(), new ArrayList<>()));
            id.files().add(n.get("file").asText());
            id.similarities().add(n.get("similarity").asDouble());
        }
        List<String> accuracy = lines(folder.resolve("boundaries.jsonl"));
        double[] heldOut = new double[accuracy.size()];
        for (int i = 0; i < heldOut.length; i++) {
            heldOut[i] = parse(accuracy.get(i), folder.resolve("boundaries.jsonl")).get("held_out_accuracy").asDouble();
        }
        return new FinishedRun(folder, run, summary, List.copyOf(ids.values()), heldOut);
    }

    /** The reference crop of an identity. */
    public Path reference(IdentityImages id) {
        return folder.resolve("references").resolve(id.name() + ".png");
    }

    public int images() {
        return identities.stream().mapToInt(i -> i.files().size()).sum();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode json(Path file) {
        try {
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + file + " (is this a finished run folder?): " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String text, Path file) {
        try {
            return ConfigLoader.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ExfaceganException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }
}
