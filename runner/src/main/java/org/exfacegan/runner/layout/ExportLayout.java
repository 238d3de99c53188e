package org.exfacegan.runner.layout;

import java.util.Locale;

/**
 * The folder {@code exfacegan export-boundaries} writes, in the file layout of the reference code
 * (fdbtrs/ExFaceGAN): {@code boundaries/boundary_NNNNN.npy}, {@code <space>_latents/NNNNNNN.npy},
 * with {@code index.jsonl} ({@link IndexLine}s) and {@code export.json} ({@link About}).
 */
public final class ExportLayout {
    public static final String BOUNDARIES = "boundaries";
    public static final String INDEX = "index.jsonl";
    public static final String ABOUT = "export.json";

    private ExportLayout() {}

    /** Boundary {@code r}, as the reference code's train_boundaries.py names it. */
    public static String boundary(int r) {
        return String.format(Locale.ROOT, "%s/boundary_%05d.npy", BOUNDARIES, r);
    }

    /** The folder of the references' latents in {@code space} ("w", "z" or "fit"). */
    public static String latents(String space) {
        return space + "_latents";
    }

    /** Latent {@code r}, numbered so that the reference code's create_dataset.py pairs it with boundary r. */
    public static String latent(String space, int r) {
        return String.format(Locale.ROOT, "%s/%07d.npy", latents(space), r);
    }

    /**
     * One exported boundary: a line of {@code index.jsonl}.
     *
     * @param referenceProbe  our reference probe
     * @param heldOutAccuracy as boundaries.jsonl has it; null when not measured
     */
    public record IndexLine(int boundary, int referenceProbe, Double heldOutAccuracy, String boundaryFile, String latentFile) {}

    /**
     * What was exported: {@code export.json}.
     *
     * @param run             the run folder
     * @param convention      "reference" or "exfacegan"
     * @param normalPointsTo  which side of the reference the normals point to
     * @param similarSideStep how the similar side is reached with these normals
     * @param space           the latent space of the exported latents
     * @param offsets         where the offsets are (they are not exported)
     */
    public record About(String run, String convention, String normalPointsTo, String similarSideStep, String space,
                        int boundaries, int dim, String offsets) {}
}
