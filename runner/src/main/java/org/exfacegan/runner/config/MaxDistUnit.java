package org.exfacegan.runner.config;

import org.exfacegan.runner.io.JsonName;

/** The unit of paper sampling's {@code max_dist}. */
public enum MaxDistUnit implements JsonName {
    /** Latent units, as the reference code has it (default). */
    RAW,
    /** The spread of the probes' signed distances to that boundary. */
    SPREAD;

    @Override
    public String toString() {
        return jsonName();
    }
}
