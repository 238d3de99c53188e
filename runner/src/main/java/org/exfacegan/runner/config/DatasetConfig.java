package org.exfacegan.runner.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the dataset writer produces besides the aligned 112x112 images.
 *
 * @param fullResolution also write the generator's full-resolution images
 * @param recordio       also write insightface MXNet RecordIO (train.rec, train.idx, property)
 * @param contactSheet   identities shown in contact_sheet.png (0: none)
 * @param recordioFormat how images are encoded inside train.rec: "png" (default, the dataset's files byte for
 *                       byte) or "jpeg" (insightface's usual, smaller); null when not given, so that configs
 *                       without it keep the config hash they had before the option existed
 * @param jpegQuality    with "jpeg": quality 1-100 (default 95); null when not given
 */
public record DatasetConfig(Boolean fullResolution, Boolean recordio, Integer contactSheet,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String recordioFormat,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Integer jpegQuality) {
    public static final DatasetConfig DEFAULT = new DatasetConfig(null, null, null, null, null);
    public static final int DEFAULT_JPEG_QUALITY = 95;

    public DatasetConfig {
        fullResolution = fullResolution == null ? Boolean.FALSE : fullResolution;
        recordio = recordio == null ? Boolean.FALSE : recordio;
        contactSheet = contactSheet == null ? 12 : contactSheet;
    }

    /** True when train.rec holds JPEG-encoded images. */
    public boolean recordioJpeg() {
        return "jpeg".equals(recordioFormat);
    }

    public int jpegQualityOrDefault() {
        return jpegQuality == null ? DEFAULT_JPEG_QUALITY : jpegQuality;
    }
}
