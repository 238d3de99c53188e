package org.exfacegan.runner.run;

import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.ReferencesRecord;
import org.exfacegan.runner.layout.RunLayout;

/** Chooses which accepted probes become identities, optionally skipping look-alikes. */
final class References {
    private References() {}

    /**
     * The first {@code wanted} accepted probes (all when null) in probe order; with a uniqueness
     * threshold, a probe whose cosine to an already chosen reference exceeds it is skipped.
     */
    static List<Integer> select(RunFolder folder, ProbeSet probes, Integer wanted, Double uniqueness) {
        int limit = wanted == null ? Integer.MAX_VALUE : wanted;
        List<Integer> chosen = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < probes.size() && chosen.size() < limit; i++) {
            if (!probes.accepted()[i]) {
                continue;
            }
            boolean lookAlike = false;
            if (uniqueness != null) {
                for (int j : chosen) {
                    if (probes.cosine(i, j) > uniqueness) {
                        lookAlike = true;
                        break;
                    }
                }
            }
            if (lookAlike) {
                skipped++;
            } else {
                chosen.add(i);
            }
        }
        if (chosen.size() < limit && wanted != null) {
            throw new ExfaceganException("only " + chosen.size() + " of the " + wanted + " identities asked for could be "
                    + "chosen (" + probes.acceptedCount() + " probes accepted, " + skipped + " skipped as look-alikes); "
                    + "draw more probes or lower identities");
        }
        folder.writeAtomically(RunLayout.REFERENCES_JSON, Json.pretty(new ReferencesRecord(skipped, chosen)));
        return chosen;
    }
}
