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

    private DatasetFinisher() {}

    static RunSummary finish(RunFolder folder, ExperimentConfig c, ProbeSet probes, List<Identity> identities,
                             Boundaries boundaries, Backbone backbone) {
        StringBuilder manifest = new StringBuilder();
        List<Npy.Array> latents = new ArrayList<>();
        int drawn = 0;
        int rejected = 0;
        int below = 0;
        int above = 0;
        double simSum = 0;
        int images = 0;
        for (Identity id : identities) {
            String meta = SampleStage.readString(folder.resolve(SampleStage.META + "/" + id.name() + ".jsonl"));
            manifest.append(meta);
            for (String line : meta.split("\n")) {
                if (!line.isBlank()) {
                    simSum += json(line).get("similarity").asDouble();
                    images++;
                }
            }
            latents.add(Npy.read(folder.resolve(SampleStage.META + "/" + id.name() + ".npy")));
            JsonNode counts = json(SampleStage.readString(folder.resolve(SampleStage.META + "/" + id.name() + ".counts.json")));
            drawn += counts.get("drawn").asInt();
            rejected += counts.get("rejected_faces").asInt();
            below += counts.get("below_min_similarity").asInt();
            above += counts.get("above_max_similarity").asInt();
        }
        folder.writeAtomically(MANIFEST, manifest.toString());
        Npy.Array all = ProbeStage.concatFloats(latents);
        folder.writeAtomically(LATENTS, Npy.toBytes(all));
        if (c.dataset().recordio()) {
            RecordIoFiles.write(folder, identities, c.dataset());
        }
        if (c.dataset().contactSheet() > 0) {
            folder.writeAtomically(SHEET, ContactSheet.render(folder, identities, c.dataset().contactSheet(), 8));
        }
        Map<String, Double> truth = backbone.hasGroundTruth()
                ? GroundTruthMetrics.measure(backbone, probes, identities, latents.stream().map(Npy.Array::floats).toList()) : null;
        RunSummary summary = new RunSummary(probes.size(), probes.acceptedCount(), identities.size(), images, drawn,
                rejected, below, above, boundaries.meanHeldOutAccuracy(), BoundaryStage.min(boundaries.heldOutAccuracy()),
                images == 0 ? Double.NaN : simSum / images, truth, SubLatentShare.of(boundaries, backbone.layout().subLatents()));
        folder.writeAtomically(SUMMARY, ConfigLoader.toJson(summary));
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
