package org.exfacegan.runner.layout;

import java.util.List;

/**
 * The probes chosen as references, in order: {@code references.json}.
 *
 * @param skippedLookAlikes probes skipped for a cosine above {@code uniqueness} to a chosen one
 * @param references        the reference probes; boundary r belongs to the r-th
 */
public record ReferencesRecord(int skippedLookAlikes, List<Integer> references) {
    public ReferencesRecord {
        references = references == null ? null : List.copyOf(references);
    }
}
