package org.exfacegan.runner.layout;

import org.exfacegan.runner.io.Decimals;

/**
 * One identity boundary: a line of {@code boundaries.jsonl}.
 *
 * @param boundary        row of boundaries.npy
 * @param reference       the reference probe
 * @param offset          the boundary's offset (signed distance {@code n.x + offset})
 * @param heldOutAccuracy accuracy on the probes held out of the fit (NaN when none were)
 * @param trainAccuracy   accuracy on the probes it was fitted on
 */
public record BoundaryLine(int boundary, int reference, @Decimals(6) double offset, @Decimals(4) double heldOutAccuracy,
                           @Decimals(4) double trainAccuracy) {}
