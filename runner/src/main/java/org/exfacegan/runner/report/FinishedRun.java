package org.exfacegan.runner.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.BoundaryLine;
import org.exfacegan.runner.layout.ManifestLine;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunRecord;
import org.exfacegan.runner.layout.RunSummary;

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
public record FinishedRun(Path folder, RunRecord runJson, RunSummary summary, List<IdentityImages> identities,
                          double[] heldOut) {

    /**
     * One identity's written images.
     *
     * @param name         folder name under images/
     * @param side         +1: the reference's side; -1: the far side (a second identity from one reference)
     * @param files        image files, relative to the run folder
     * @param similarities cosine to the reference the pipeline recorded when it wrote each image (NaN when its
     *                     reference shows no face)
     */
    public record IdentityImages(String name, int side, List<String> files, List<Double> similarities) {}

    public static FinishedRun read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ExfaceganException("run folder not found: " + folder);
        }
        RunRecord run = RunRecord.read(folder);
        if (!run.isComplete()) {
            throw new ExfaceganException("run " + folder + " is not finished (run.json status \"" + (run.status() == null ? ""
                    : run.status()) + "\"): finish it with 'exfacegan run' on its config first");
        }
        RunSummary summary = Json.read(folder.resolve(RunLayout.SUMMARY), RunSummary.class, "run file");
        Map<String, IdentityImages> ids = new LinkedHashMap<>();
        Json.forEachLine(folder.resolve(RunLayout.MANIFEST), ManifestLine.class, "run file", line -> {
            IdentityImages id = ids.computeIfAbsent(line.identity(), k -> new IdentityImages(k, line.side(),
                    new ArrayList<>(), new ArrayList<>()));
            id.files().add(line.file());
            id.similarities().add(line.similarity() == null ? Double.NaN : line.similarity());
        });
        List<BoundaryLine> boundaries = Json.readLines(folder.resolve(RunLayout.BOUNDARY_REPORT), BoundaryLine.class, "run file");
        double[] heldOut = boundaries.stream().mapToDouble(BoundaryLine::heldOutAccuracy).toArray();
        return new FinishedRun(folder, run, summary, List.copyOf(ids.values()), heldOut);
    }

    /** The reference crop of an identity. */
    public Path reference(IdentityImages id) {
        return folder.resolve(RunLayout.referenceCrop(id.name()));
    }

    public int images() {
        return identities.stream().mapToInt(i -> i.files().size()).sum();
    }
}
