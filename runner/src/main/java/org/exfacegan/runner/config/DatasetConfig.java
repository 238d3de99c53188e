package org.exfacegan.runner.config;

/**
 * What the dataset writer produces besides the aligned 112x112 images.
 *
 * @param fullResolution also write the generator's full-resolution images
 * @param recordio       also write insightface MXNet RecordIO (train.rec, train.idx, property)
 * @param contactSheet   identities shown in contact_sheet.png (0: none)
 */
public record DatasetConfig(Boolean fullResolution, Boolean recordio, Integer contactSheet) {
    public static final DatasetConfig DEFAULT = new DatasetConfig(null, null, null);

    public DatasetConfig {
        fullResolution = fullResolution == null ? Boolean.FALSE : fullResolution;
        recordio = recordio == null ? Boolean.FALSE : recordio;
        contactSheet = contactSheet == null ? 12 : contactSheet;
    }
}
