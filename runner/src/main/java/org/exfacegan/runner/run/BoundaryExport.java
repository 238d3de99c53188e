package org.exfacegan.runner.run;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.npy.Npy;

/**
 * Writes a run's identity boundaries in the file layout of the reference code (fdbtrs/ExFaceGAN):
 * {@code boundaries/boundary_NNNNN.npy}, each {@code (1, dim)} float32 as its {@code train_boundaries.py}
 * saves them, and {@code <space>_latents/NNNNNNN.npy}, each reference's latent {@code (dim,)} as its
 * {@code generate_imgs.py} saves them, numbered so that its {@code create_dataset.py} pairs boundary
 * k with latent k. Plus {@code index.jsonl} (boundary -> our reference probe, accuracy) and
 * {@code export.json} (what was exported, which way the normals point).
 */
public final class BoundaryExport {
    /** Which side a normal points to. */
    public enum Convention {
        /** The reference code's: it labels 1 = dissimilar, so its normal points to the dissimilar side; it samples {@code w - u (*) n}. */
        REFERENCE("dissimilar", -1f),
        /** Ours ({@code boundaries.npy}): the normal points to the reference's similar side. */
        EXFACEGAN("similar", 1f);

        final String pointsTo;
        final float sign;

        Convention(String pointsTo, float sign) {
            this.pointsTo = pointsTo;
            this.sign = sign;
        }

        /** "similar" or "dissimilar": the side of the reference the exported normals point to. */
        public String pointsTo() {
            return pointsTo;
        }
    }

    /** What was written. */
    public record Result(Path folder, int boundaries, int dim, String space) {}

    private BoundaryExport() {}

    /**
     * Exports the boundaries of {@code run} into {@code out}, which must not exist or be empty (the
     * reference scripts read every file of the folder, so stale files would join the dataset).
     * Written into a hidden temporary folder beside {@code out} and renamed into place when whole.
     */
    public static Result export(Path run, Path folder, Convention convention) {
        Path out = folder.toAbsolutePath().normalize();
        if (out.getParent() == null) {
            throw new ExfaceganException("export folder " + folder + " is the file system's root; name a folder to create");
        }
        if (!Files.isDirectory(run)) {
            throw new ExfaceganException("run folder not found: " + run);
        }
        if (!Files.exists(run.resolve(BoundaryStage.REPORT))) {
            throw new ExfaceganException("run " + run + " has no boundaries yet (" + BoundaryStage.REPORT + " is missing): "
                    + "run its config until the boundary stage has finished");
        }
        checkTarget(out);
        Npy.Array normals = Npy.read(run.resolve(BoundaryStage.NORMALS));
        Npy.Array probes = Npy.read(run.resolve(ProbeStage.DIR + "/latents.npy"));
        long[] ns = normals.shape();
        long[] ps = probes.shape();
        if (ns.length != 2 || ps.length != 2 || ns[1] != ps[1]) {
            throw new ExfaceganException("run " + run + ": " + BoundaryStage.NORMALS + " " + Arrays.toString(ns) + " and "
                    + ProbeStage.DIR + "/latents.npy " + Arrays.toString(ps) + " do not match (expected [boundaries, dim] and [probes, dim])");
        }
        int count = (int) ns[0];
        int dim = (int) ns[1];
        String[] lines = readLines(run.resolve(BoundaryStage.REPORT));
        if (lines.length != count) {
            throw new ExfaceganException("run " + run + ": " + BoundaryStage.REPORT + " has " + lines.length + " lines but "
                    + BoundaryStage.NORMALS + " holds " + count + " boundaries");
        }
        String space = space(run, probes);
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
        try {
            RunFolder.deleteTree(tmp);
            Files.createDirectories(tmp.resolve("boundaries"));
            Files.createDirectories(tmp.resolve(space + "_latents"));
            float[] n = normals.floats();
            float[] lat = probes.floats();
            StringBuilder index = new StringBuilder();
            for (int r = 0; r < count; r++) {
                JsonNode line = json(lines[r], run.resolve(BoundaryStage.REPORT));
                int probe = line.path("reference").asInt(-1);
                if (probe < 0 || probe >= ps[0]) {
                    throw new ExfaceganException("run " + run + ": " + BoundaryStage.REPORT + " line " + (r + 1)
                            + " names reference probe " + line.path("reference") + ", outside the " + ps[0] + " probes");
                }
                float[] row = new float[dim];
                for (int j = 0; j < dim; j++) {
                    row[j] = convention.sign * n[r * dim + j];
                }
                String boundaryFile = String.format(Locale.ROOT, "boundaries/boundary_%05d.npy", r);
                String latentFile = String.format(Locale.ROOT, "%s_latents/%07d.npy", space, r);
                Npy.write(tmp.resolve(boundaryFile), row, 1, dim);
                Npy.write(tmp.resolve(latentFile), Arrays.copyOfRange(lat, probe * dim, (probe + 1) * dim), dim);
                index.append(String.format(Locale.ROOT, "{\"boundary\": %d, \"reference_probe\": %d, \"held_out_accuracy\": %s, "
                                + "\"boundary_file\": \"%s\", \"latent_file\": \"%s\"}%n", r, probe,
                        accuracy(line.path("held_out_accuracy")), boundaryFile, latentFile));
            }
            Files.writeString(tmp.resolve("index.jsonl"), index, StandardCharsets.UTF_8);
            ObjectNode about = ConfigLoader.MAPPER.createObjectNode();
            about.put("run", run.toAbsolutePath().normalize().toString());
            about.put("convention", convention.name().toLowerCase(Locale.ROOT));
            about.put("normal_points_to", convention.pointsTo + " side of the reference");
            about.put("similar_side_step", convention == Convention.REFERENCE ? "w_ref - u * n" : "w_ref + u * n");
            about.put("space", space);
            about.put("boundaries", count);
            about.put("dim", dim);
            about.put("offsets", "not exported (the reference code drops the intercept); ours are in the run's "
                    + BoundaryStage.OFFSETS + ", oriented as boundaries.npy");
            Files.writeString(tmp.resolve("export.json"), ConfigLoader.toJson(about) + "\n", StandardCharsets.UTF_8);
            if (Files.isDirectory(out)) {
                Files.delete(out); // empty (checked): the rename needs the name free
            }
            RunFolder.moveAtomically(tmp, out);
        } catch (IOException e) {
            try {
                RunFolder.deleteTree(tmp);
            } catch (IOException ignored) {
                // a later export deletes it first
            }
            throw new ExfaceganException("cannot write boundary export " + out + ": " + RunFolder.describe(e), e);
        }
        return new Result(folder, count, dim, space);
    }

    private static void checkTarget(Path out) {
        if (Files.isRegularFile(out)) {
            throw new ExfaceganException("export folder " + out + " is a file");
        }
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new ExfaceganException("export folder " + out + " is not empty; the reference scripts read every "
                            + "file in it, so choose a new folder (or empty this one)");
                }
            } catch (IOException e) {
                throw new ExfaceganException("cannot read export folder " + out + ": " + RunFolder.describe(e), e);
            }
        }
    }

    /**
     * The name of the run's fit space, as the reference code names its latent folders: "w" when the
     * probe latents are the probes' w, "z" when they are their z (both equal: "w").
     */
    private static String space(Path run, Npy.Array latents) {
        for (String s : new String[] {"w", "z"}) {
            Path p = run.resolve(ProbeStage.DIR + "/" + s + ".npy");
            if (Files.exists(p)) {
                Npy.Array a = Npy.read(p);
                if (a.dtype() == latents.dtype() && a.elements() == latents.elements() && Arrays.equals(a.floats(), latents.floats())) {
                    return s;
                }
            }
        }
        return "fit";
    }

    private static String[] readLines(Path p) {
        return SampleStage.readString(p).lines().filter(l -> !l.isBlank()).toArray(String[]::new);
    }

    private static String accuracy(JsonNode n) {
        return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asText() : "null";
    }

    private static JsonNode json(String line, Path file) {
        try { // BoundaryStage writes NaN for an accuracy not measured
            return ConfigLoader.MAPPER.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).readTree(line);
        } catch (IOException e) {
            throw new ExfaceganException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }
}
