package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.JsonName;
import org.exfacegan.runner.layout.BoundaryLine;
import org.exfacegan.runner.layout.ExportLayout;
import org.exfacegan.runner.layout.RunLayout;

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
    public enum Convention implements JsonName {
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

        @Override
        public String toString() {
            return jsonName();
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
        if (!Files.exists(run.resolve(RunLayout.BOUNDARY_REPORT))) {
            throw new ExfaceganException("run " + run + " has no boundaries yet (" + RunLayout.BOUNDARY_REPORT + " is missing): "
                    + "run its config until the boundary stage has finished");
        }
        checkTarget(out);
        Npy.Array normals = Npy.read(run.resolve(RunLayout.BOUNDARIES));
        Npy.Array probes = Npy.read(run.resolve(RunLayout.probe(RunLayout.LATENTS)));
        long[] ns = normals.shape();
        long[] ps = probes.shape();
        if (ns.length != 2 || ps.length != 2 || ns[1] != ps[1]) {
            throw new ExfaceganException("run " + run + ": " + RunLayout.BOUNDARIES + " " + Arrays.toString(ns) + " and "
                    + RunLayout.probe(RunLayout.LATENTS) + " " + Arrays.toString(ps) + " do not match (expected [boundaries, dim] and [probes, dim])");
        }
        int count = (int) ns[0];
        int dim = (int) ns[1];
        List<BoundaryLine> lines = Json.readLines(run.resolve(RunLayout.BOUNDARY_REPORT), BoundaryLine.class, "run file");
        if (lines.size() != count) {
            throw new ExfaceganException("run " + run + ": " + RunLayout.BOUNDARY_REPORT + " has " + lines.size() + " lines but "
                    + RunLayout.BOUNDARIES + " holds " + count + " boundaries");
        }
        String space = space(run, probes);
        Path tmp;
        try {
            tmp = freshSibling(out);
        } catch (IOException e) {
            throw new ExfaceganException("cannot write beside export folder " + out + ": " + RunFolder.describe(e), e);
        }
        try {
            Files.createDirectories(tmp.resolve(ExportLayout.BOUNDARIES));
            Files.createDirectories(tmp.resolve(ExportLayout.latents(space)));
            float[] n = normals.floats();
            float[] lat = probes.floats();
            StringBuilder index = new StringBuilder();
            for (int r = 0; r < count; r++) {
                int probe = lines.get(r).reference();
                if (probe < 0 || probe >= ps[0]) {
                    throw new ExfaceganException("run " + run + ": " + RunLayout.BOUNDARY_REPORT + " line " + (r + 1)
                            + " names reference probe " + probe + ", outside the " + ps[0] + " probes");
                }
                float[] row = new float[dim];
                for (int j = 0; j < dim; j++) {
                    row[j] = convention.sign * n[r * dim + j];
                }
                String boundaryFile = ExportLayout.boundary(r);
                String latentFile = ExportLayout.latent(space, r);
                Npy.write(tmp.resolve(boundaryFile), row, 1, dim);
                Npy.write(tmp.resolve(latentFile), Arrays.copyOfRange(lat, probe * dim, (probe + 1) * dim), dim);
                double accuracy = lines.get(r).heldOutAccuracy();
                index.append(Json.line(new ExportLayout.IndexLine(r, probe, Double.isFinite(accuracy) ? accuracy : null,
                        boundaryFile, latentFile)));
            }
            Files.writeString(tmp.resolve(ExportLayout.INDEX), index, StandardCharsets.UTF_8);
            ExportLayout.About about = new ExportLayout.About(run.toAbsolutePath().normalize().toString(), convention.jsonName(),
                    convention.pointsTo + " side of the reference",
                    convention == Convention.REFERENCE ? "w_ref - u * n" : "w_ref + u * n", space, count, dim,
                    "not exported (the reference code drops the intercept); ours are in the run's " + RunLayout.OFFSETS
                            + ", oriented as " + RunLayout.BOUNDARIES);
            Files.writeString(tmp.resolve(ExportLayout.ABOUT), Json.pretty(about) + "\n", StandardCharsets.UTF_8);
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

    /**
     * A new, empty folder beside {@code out} to write the export into: {@code .NAME.tmp}, or
     * {@code .NAME.tmp2} and so on when that exists. An existing one is never reused or deleted: it
     * may be someone else's.
     */
    private static Path freshSibling(Path out) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        for (int i = 1; ; i++) {
            Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp" + (i == 1 ? "" : Integer.toString(i)));
            try {
                return Files.createDirectory(tmp);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                // someone's: try the next name
            }
        }
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
        for (LatentSpace s : LatentSpace.values()) {
            Path p = run.resolve(RunLayout.probe(s == LatentSpace.W ? RunLayout.W : RunLayout.Z));
            if (Files.exists(p)) {
                Npy.Array a = Npy.read(p);
                if (a.dtype() == latents.dtype() && a.elements() == latents.elements() && Arrays.equals(a.floats(), latents.floats())) {
                    return s.jsonName();
                }
            }
        }
        return "fit";
    }
}
