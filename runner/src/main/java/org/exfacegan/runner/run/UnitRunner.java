package org.exfacegan.runner.run;

import java.util.List;
import java.util.function.IntConsumer;
import org.exfacegan.runner.config.ResolvedConfig;

/**
 * Where a run's independent units of work are done: probe chunks and identities. In this process
 * by default, one after the other with the run's own models; a scale-out engine (the spark module)
 * does them in tasks elsewhere, each task through a {@link RunWorker}, which runs the same stage code.
 * Either way a unit's files depend only on the run's inputs and the unit's index.
 */
public interface UnitRunner {
    /** The kinds of unit; a unit is named by its index (probe chunk number, identity index). */
    enum Kind { PROBE_CHUNK, IDENTITY }

    /**
     * Writes every unit of {@code units} (indices, in order).
     *
     * @param run  the config the run goes by (with the compute settings it started with: a worker must use the same)
     * @param here writes one unit in this process, with the run's models open (what the default does)
     * @param done told each unit written (for progress), on the calling thread
     */
    void run(Kind kind, ResolvedConfig run, List<Integer> units, IntConsumer here, IntConsumer done);

    /** One unit after the other, here. */
    UnitRunner IN_PROCESS = (kind, run, units, here, done) -> {
        for (int u : units) {
            here.accept(u);
            done.accept(u);
        }
    };
}
