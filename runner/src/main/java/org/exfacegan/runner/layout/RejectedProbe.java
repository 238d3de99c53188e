package org.exfacegan.runner.layout;

/**
 * A probe whose face the recogniser rejected: a line of {@code probe/rejected.jsonl}.
 *
 * @param probe  the probe's index
 * @param reason the recogniser's reason
 */
public record RejectedProbe(int probe, String reason) {}
