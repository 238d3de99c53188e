package org.exfacegan.runner.config;

import org.exfacegan.runner.io.JsonName;

/** How images are encoded inside {@code train.rec}. */
public enum RecordIoFormat implements JsonName {
    /** The dataset's PNG files byte for byte (default). */
    PNG,
    /** Re-encoded as JPEG (insightface's usual, smaller). */
    JPEG;

    @Override
    public String toString() {
        return jsonName();
    }
}
