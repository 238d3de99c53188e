package org.exfacegan.runner.layout;

import org.exfacegan.runner.io.Decimals;

/**
 * One image of the dataset: a line of {@code meta/<identity>.jsonl}, and of {@code manifest.jsonl}
 * that joins them.
 *
 * @param identity       the identity's folder name
 * @param index          the image's number in its folder
 * @param reference      the reference probe
 * @param side           +1 the reference's side of the boundary, -1 the other side (a second identity)
 * @param candidate      which candidate of the identity this is (candidates filtered out leave gaps)
 * @param distance       signed distance of its latent to the boundary
 * @param similarity     cosine of its embedding to the reference's; null when the reference shows no face
 * @param mahalanobis    distance of its latent to the probe latents' distribution; null when not measured
 * @param inDistribution whether that distance is within the probes' 99th percentile; null when not measured
 * @param file           the image, relative to the run folder
 */
public record ManifestLine(String identity, int index, int reference, int side, int candidate, @Decimals(6) double distance,
                           @Decimals(6) Double similarity, @Decimals(4) Double mahalanobis, Boolean inDistribution,
                           String file) {}
