package org.exfacegan.runner.layout;

import java.util.List;
import java.util.Set;

/**
 * Every file and folder name of a run folder, in one place: the stages that write them, the resume
 * and {@code exfacegan check} that verify them, the report and the commands that read them all
 * take the names from here. docs/outputs.md describes each file (OutputsDocTest checks it); the JSON ones
 * are written and read through their records in this package.
 */
public final class RunLayout {
    // the folder's own bookkeeping

    /** Marks the folder as a run's ({@link org.exfacegan.runner.io.FolderMarker}); written first. */
    public static final String MARKER = ".exfacegan-run";
    /** Held locked while a run works in the folder; names the holder. */
    public static final String LOCK = "run.lock";
    /** The run's private folder of unfinished files: the only place a clean-up deletes from. */
    public static final String TEMPORARIES = ".exfacegan-tmp";
    /** Provenance, status and timings ({@link RunRecord}). */
    public static final String RUN_JSON = "run.json";
    /** What a run keeps about itself, not a result. */
    public static final Set<String> BOOKKEEPING = Set.of(MARKER, LOCK, RUN_JSON);

    // the probe set

    public static final String PROBE = "probe";
    /** The probe set's checksums, written last: the stage is done. */
    public static final String PROBE_DONE = PROBE + "/DONE";
    /** Chunks of the probe set while it is computed, removed when joined. */
    public static final String PROBE_CHUNKS = PROBE + "/chunks";
    /** A chunk's checksums, inside the chunk folder. */
    public static final String CHUNK_SUMS = "SHA256SUMS";
    public static final String Z = "z.npy";
    public static final String W = "w.npy";
    /** Fit-space latents (of the probes under {@link #PROBE}; of the images at the top). */
    public static final String LATENTS = "latents.npy";
    public static final String EMBEDDINGS = "embeddings.npy";
    public static final String ACCEPTED = "accepted.npy";
    /** Probes whose face the recogniser rejected ({@link RejectedProbe} lines). */
    public static final String REJECTED = "rejected.jsonl";
    /** The files of a chunk, and of the probe set they are joined into. */
    public static final List<String> PROBE_FILES = List.of(Z, W, LATENTS, EMBEDDINGS, ACCEPTED, REJECTED);

    // references and boundaries

    /** The probes chosen as references ({@link ReferencesRecord}). */
    public static final String REFERENCES_JSON = "references.json";
    public static final String BOUNDARIES = "boundaries.npy";
    public static final String OFFSETS = "offsets.npy";
    public static final String BOUNDARY_ACCURACY = "boundary_accuracy.npy";
    /** One {@link BoundaryLine} per boundary. */
    public static final String BOUNDARY_REPORT = "boundaries.jsonl";
    /** The boundary files' checksums, written last: the stage is done. */
    public static final String BOUNDARY_SUMS = "boundaries.sha256";
    /** How samples are drawn ({@link SamplingRecord}). */
    public static final String SAMPLING_JSON = "sampling.json";

    // identities

    /** The aligned crops, one folder per identity. */
    public static final String IMAGES = "images";
    /** The generator's full-resolution images, with {@code dataset.full_resolution}. */
    public static final String IMAGES_FULL = "images_full";
    /** Each identity's reference crop. */
    public static final String REFERENCE_CROPS = "references";
    /** Each identity's latents, manifest lines, counts and checksums. */
    public static final String META = "meta";

    // the dataset's index files

    /** Every image's {@link ManifestLine}, identities in order. */
    public static final String MANIFEST = "manifest.jsonl";
    /** Figures of the run ({@link RunSummary}). */
    public static final String SUMMARY = "summary.json";
    public static final String CONTACT_SHEET = "contact_sheet.png";
    /** The index files' checksums, written last. */
    public static final String DATASET_SUMS = "dataset.sha256";
    public static final String TRAIN_REC = "train.rec";
    public static final String TRAIN_IDX = "train.idx";
    public static final String PROPERTY = "property";

    private RunLayout() {}

    /** A file of the probe set. */
    public static String probe(String file) {
        return PROBE + "/" + file;
    }

    /** Chunk {@code c} of the probe set. */
    public static String chunk(int c) {
        return PROBE_CHUNKS + "/" + String.format("%05d", c);
    }

    /** An identity's folder under {@code root} ({@link #IMAGES} or {@link #IMAGES_FULL}). */
    public static String identityFolder(String root, String identity) {
        return root + "/" + identity;
    }

    /** Image {@code index} of an identity under {@code root}. */
    public static String image(String root, String identity, int index) {
        return identityFolder(root, identity) + "/" + imageName(index);
    }

    /** The file name of image {@code index} in an identity's folder. */
    public static String imageName(int index) {
        return String.format("%04d.png", index);
    }

    public static String referenceCrop(String identity) {
        return REFERENCE_CROPS + "/" + identity + ".png";
    }

    /** An identity's latents, in the order of its images. */
    public static String identityLatents(String identity) {
        return META + "/" + identity + ".npy";
    }

    /** An identity's {@link ManifestLine}s, joined into {@link #MANIFEST}. */
    public static String identityManifest(String identity) {
        return META + "/" + identity + ".jsonl";
    }

    /** An identity's {@link IdentityCounts}. */
    public static String identityCounts(String identity) {
        return META + "/" + identity + ".counts.json";
    }

    /** An identity's checksums: every file of it, written just before its images folder appears. */
    public static String identitySums(String identity) {
        return META + "/" + identity + ".sha256";
    }
}
