package org.exfacegan.runner.run;

import java.util.ServiceLoader;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;

/**
 * An engine that does a run's units of work on a cluster ({@code exfacegan run --spark MASTER}).
 * The runner does not depend on one: the spark module provides it when its jar is on the class path
 * (found with {@link ServiceLoader}).
 */
public interface ScaleOut {
    /** The engine's units for a run on {@code master}; closing them stops what was started. */
    Session start(String master, PluginRegistry registry);

    /** A started engine. */
    interface Session extends UnitRunner, AutoCloseable {
        /**
         * The config the run goes by: {@code rc} itself where tasks write into its output folder; where
         * the engine publishes the run elsewhere (an output store), {@code rc} with a working folder of
         * this process as its output, filled with what was published before (a resume).
         *
         * @param restart the run starts over: what was published before is deleted
         */
        default ResolvedConfig prepare(ResolvedConfig rc, boolean restart) {
            return rc;
        }

        /** Called once the run finished: publishes what the driver wrote last (the dataset's index files). */
        default void finished() {}

        /** Where the run's files are, for the user. */
        default String location(ResolvedConfig rc) {
            return rc.output().toString();
        }

        @Override
        void close();
    }

    /** The engine on the class path; a clear error when there is none. */
    static ScaleOut find() {
        return ServiceLoader.load(ScaleOut.class, ScaleOut.class.getClassLoader()).findFirst().orElseThrow(() -> new ConfigException(
                "--spark: the spark module is not on the class path (its jar exfacegan-spark and Spark's jars); build it with "
                        + "mvn -B package (module spark) and start exfacegan from the built tree, or submit with spark-submit "
                        + "(README, 'Running on a cluster')"));
    }
}
