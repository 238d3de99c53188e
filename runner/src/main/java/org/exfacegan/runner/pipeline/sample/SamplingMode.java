package org.exfacegan.runner.pipeline.sample;

import org.exfacegan.runner.io.JsonName;

/** How new latents are drawn per identity, as a config chooses by {@code sampling.mode}; docs/sampling.md measures each. */
public enum SamplingMode implements JsonName {
    /** Keep the reference's coordinates in the identity subspace of all boundaries, draw the rest like the probes (default). */
    SUBSPACE,
    /** An exact signed distance along the unit normal plus in-plane variation. */
    DIRECTIONAL,
    /** The reference code's {@code w_ref - u (*) n}, u ~ U(0, max_dist) per dimension. */
    PAPER;

    @Override
    public String toString() {
        return jsonName();
    }
}
