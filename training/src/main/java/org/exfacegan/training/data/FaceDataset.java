package org.exfacegan.training.data;

import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.image.ImageBatch;

/**
 * Face images labelled by identity, read on demand. Samples are numbered 0..size-1 grouped by
 * identity (identity 0's images first), identities 0..identities-1 in a stable order.
 */
public interface FaceDataset {
    /** "run folder", "image folders" or "recordio". */
    String kind();

    /** The file or folder it was read from. */
    Path source();

    int size();

    /** Identity names in label order (folder names, or RecordIO class numbers). */
    List<String> identityNames();

    default int identities() {
        return identityNames().size();
    }

    /** The identity of a sample. */
    int label(int sample);

    /** Samples of one identity, in order. */
    int[] samplesOf(int identity);

    /** The image of a sample, decoded to RGB; errors name the file or record. */
    ImageBatch read(int sample);

    /** Where a sample comes from (file or record), for messages. */
    String describe(int sample);

    /** What was left out when reading (empty identity folders, ...), for the record. */
    List<String> skipped();
}
