package org.exfacegan.runner.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.IdentityCounts;
import org.exfacegan.runner.layout.ManifestLine;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.layout.RunSummary;
import org.exfacegan.runner.pipeline.fit.Boundaries;

/**
 * Joins the identities into the dataset's index files ({@code manifest.jsonl}, {@code latents.npy}),
 * draws the contact sheet, and measures the run ({@code summary.json}). Rebuilt from the
 * per-identity files on every run, so it is the same however often the run was resumed.
 */
final class DatasetFinisher {
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
            String lines = RunLayout.identityManifest(id.name());
            manifest.append(folder.readString(lines)); // the identities' lines byte for byte
            for (ManifestLine line : folder.readLines(lines, ManifestLine.class)) {
                if (line.similarity() != null) { // null: the identity's reference has no face the recogniser finds
                    simSum += line.similarity();
                    similarities++;
                }
                images++;
            }
            latents.add(Npy.read(folder.resolve(RunLayout.identityLatents(id.name()))));
            IdentityCounts counts = folder.read(RunLayout.identityCounts(id.name()), IdentityCounts.class);
            drawn += counts.drawn();
            rejected += counts.rejectedFaces();
            below += counts.belowMinSimilarity();
            above += counts.aboveMaxSimilarity();
            outside += counts.outOfDistribution();
            droppedOutside += counts.droppedOutOfDistribution();
        }
        Checksums sums = new Checksums();
        sums.write(folder, RunLayout.MANIFEST, manifest.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Npy.Array all = NpyRows.concat(latents);
        sums.write(folder, RunLayout.LATENTS, Npy.toBytes(all));
        if (c.dataset().recordio()) {
            RecordIoFiles.write(folder, identities, c.dataset(), sums);
        }
        if (c.dataset().contactSheet() > 0) {
            sums.write(folder, RunLayout.CONTACT_SHEET, ContactSheet.render(folder, identities, c.dataset().contactSheet(), ContactSheet.COLUMNS));
        }
        Map<String, Double> truth = backbone.hasGroundTruth()
                ? GroundTruthMetrics.measure(backbone, probes, identities, latents.stream().map(Npy.Array::floats).toList()) : null;
        // share of the drawn candidates whose faces were accepted (those the guard measured)
        int measured = drawn - rejected;
        RunSummary summary = new RunSummary(probes.size(), probes.acceptedCount(), identities.size(), images, drawn,
                rejected, below, above, boundaries.meanHeldOutAccuracy(), boundaries.minHeldOutAccuracy(),
                similarities == 0 ? Double.NaN : simSum / similarities, outside, droppedOutside,
                plan.guard() == null || measured == 0 ? Double.NaN : (double) outside / measured,
                plan.guard() == null ? Double.NaN : plan.guard().threshold(),
                plan.subspace() == null ? null : plan.subspace().rank(), truth,
                SubLatentShare.of(boundaries, backbone.layout().subLatents()));
        sums.write(folder, RunLayout.SUMMARY, Json.pretty(summary).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try {
            sums.addFile(RunLayout.REFERENCES_JSON, folder.resolve(RunLayout.REFERENCES_JSON));
            if (folder.exists(RunLayout.SAMPLING_JSON)) {
                sums.addFile(RunLayout.SAMPLING_JSON, folder.resolve(RunLayout.SAMPLING_JSON));
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot read " + folder.resolve(RunLayout.REFERENCES_JSON) + ": " + RunFolder.describe(e), e);
        }
        folder.writeAtomically(RunLayout.DATASET_SUMS, sums.toBytes());
        return summary;
    }
}
