package org.exfacegan.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.pipeline.fit.Boundaries;

/**
 * Joins the identities into the dataset's index files ({@code manifest.jsonl}, {@code latents.npy}),
 * draws the contact sheet, and measures the run ({@code summary.json}). Rebuilt from the
 * per-identity files on every run, so it is the same however often the run was resumed.
 */
final class DatasetFinisher {
    static final String MANIFEST = "manifest.jsonl";
    static final String LATENTS = "latents.npy";
    static final String SUMMARY = "summary.json";
    static final String SHEET = "contact_sheet.png";
    /** Checksums of the files above, written last. */
    static final String SUMS = "dataset.sha256";

    private DatasetFinisher() {}

    static RunSummary finish(RunFolder folder, ExperimentConfig c, ProbeSet probes, List<Identity> identities,
                             Boundaries boundaries, Backbone backbone, SamplingPlan plan) {
        StringBuilder manifest = new StringBuilder();
        List<Npy.Array> latents = new ArrayList<>();
        int drawn = 0;
        int rejected = 0;
        int below = 0;
        int above = 0;
        int outside = 0;
        int droppedOutside = 0;
        double simSum = 0;
        int similarities = 0;
        int images = 0;
        for (Identity id : identities) {
            String meta = SampleStage.readString(folder.resolve(SampleStage.META + "/" + id.name() + ".jsonl"));
            manifest.append(meta);
            for (String line : meta.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode sim = json(line).get("similarity");
                    if (sim.isNumber()) { // null: the identity's reference has no face the recogniser finds
                        simSum += sim.asDouble();
                        similarities++;
                    }
                    images++;
                }
            }
            latents.add(Npy.read(folder.resolve(SampleStage.META + "/" + id.name() + ".npy")));
            JsonNode counts = json(SampleStage.readString(folder.resolve(SampleStage.META + "/" + id.name() + ".counts.json")));
            drawn += counts.get("drawn").asInt();
            rejected += counts.get("rejected_faces").asInt();
            below += counts.get("below_min_similarity").asInt();
            above += counts.get("above_max_similarity").asInt();
            outside += counts.path("out_of_distribution").asInt(0);
            droppedOutside += counts.path("dropped_out_of_distribution").asInt(0);
        }
        Checksums sums = new Checksums();
        sums.write(folder, MANIFEST, manifest.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Npy.Array all = ProbeStage.concatFloats(latents);
        sums.write(folder, LATENTS, Npy.toBytes(all));
        if (c.dataset().recordio()) {
            RecordIoFiles.write(folder, identities, c.dataset(), sums);
        }
        if (c.dataset().contactSheet() > 0) {
            sums.write(folder, SHEET, ContactSheet.render(folder, identities, c.dataset().contactSheet(), 8));
        }
        Map<String, Double> truth = backbone.hasGroundTruth()
                ? GroundTruthMetrics.measure(backbone, probes, identities, latents.stream().map(Npy.Array::floats).toList()) : null;
        // share of the drawn candidates whose faces were accepted (those the guard measured)
        int measured = drawn - rejected;
        RunSummary summary = new RunSummary(probes.size(), probes.acceptedCount(), identities.size(), images, drawn,
                rejected, below, above, boundaries.meanHeldOutAccuracy(), BoundaryStage.min(boundaries.heldOutAccuracy()),
                similarities == 0 ? Double.NaN : simSum / similarities, outside, droppedOutside,
                plan.guard() == null || measured == 0 ? Double.NaN : (double) outside / measured,
                plan.guard() == null ? Double.NaN : plan.guard().threshold(),
                plan.subspace() == null ? null : plan.subspace().rank(), truth,
                SubLatentShare.of(boundaries, backbone.layout().subLatents()));
        sums.write(folder, SUMMARY, ConfigLoader.toJson(summary).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            sums.addFile(References.FILE, folder.resolve(References.FILE));
            if (folder.exists(SamplingPlan.FILE)) {
                sums.addFile(SamplingPlan.FILE, folder.resolve(SamplingPlan.FILE));
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + folder.resolve(References.FILE) + ": " + RunFolder.describe(e), e);
        }
        folder.writeAtomically(SUMS, sums.toBytes());
        return summary;
    }

    private static JsonNode json(String text) {
        try {
            return ConfigLoader.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ExfaceganException("corrupt run file content: " + e.getMessage(), e);
        }
    }
}
