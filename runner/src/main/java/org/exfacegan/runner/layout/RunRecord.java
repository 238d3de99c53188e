package org.exfacegan.runner.layout;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.io.JsonName;

/**
 * A run's provenance, status and timings: {@code run.json}. Written when the models are open
 * (status running) and again when the run completes (with its summary and timings); a resume
 * checks it to refuse another experiment, plugin or model file, and keeps its batch sizes.
 * Fields a run has not reached yet are absent.
 *
 * @param configFile          the config file the run was made with
 * @param configHash          SHA-256 of the resolved config without where models run
 * @param config              the resolved config
 * @param seed                the config's seed
 * @param backbone            the backbone's plugin, compute settings and model files
 * @param recognizer          the recogniser's
 * @param runtimes            the model runtimes available
 * @param jvm                 the JVM
 * @param exfaceganVersion    this program's version
 * @param status              running or complete
 * @param summary             the run's figures, when complete
 * @param repairedThisSession damaged parts the last session found and wrote again
 * @param secondsThisSession  wall seconds per stage of the last session, and time inside the models
 * @param workThisSession     what the last session did in those seconds (a resume skips finished work)
 * @param secondsTotal        seconds per stage summed over every session that finished
 * @param workTotal           work summed over those sessions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String configFile, String configHash, ExperimentConfig config, Long seed, Component backbone,
                        Component recognizer, List<RuntimeInfo> runtimes, Jvm jvm, String exfaceganVersion, Status status,
                        RunSummary summary, List<String> repairedThisSession, Seconds secondsThisSession, Work workThisSession,
                        Seconds secondsTotal, Work workTotal) {

    public enum Status implements JsonName {
        RUNNING, COMPLETE;

        @Override
        public String toString() {
            return jsonName();
        }
    }

    /**
     * A backbone's or recogniser's provenance.
     *
     * @param provider     the plugin's provider name
     * @param version      its version
     * @param apiVersion   the API it was built for
     * @param jar          its jar (or "built-in")
     * @param jarSha256    the jar's SHA-256
     * @param modelOptions the device, batch size and threads the run uses (kept on every resume); absent in runs
     *                     made before they were recorded
     * @param modelFiles   SHA-256 of every model file, by path
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(String provider, String version, String apiVersion, String jar, String jarSha256,
                            Compute modelOptions, Map<String, String> modelFiles) {
        public Component withModelOptions(Compute value) {
            return new Component(provider, version, apiVersion, jar, jarSha256, value, modelFiles);
        }
    }

    /** Where and how a model runs, as far as it can change results. */
    public record Compute(@JsonProperty(required = true) String device, @JsonProperty(required = true) int batchSize,
                          @JsonProperty(required = true) int threads) {}

    /** A model runtime found. */
    public record RuntimeInfo(String name, String version, String description) {}

    /**
     * The JVM.
     *
     * @param vendor absent where a file leaves it out (evaluation.json)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jvm(String version, String vendor, String os) {
        /** This JVM. */
        public static Jvm current() {
            return new Jvm(System.getProperty("java.runtime.version"), System.getProperty("java.vendor"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
    }

    /**
     * Wall seconds per stage.
     *
     * @param models time inside the models during probe, samples and finish (the rest is writing); absent in totals
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Seconds(double probe, double fit, double samples, double finish, ModelSeconds models) {
        /** Both summed (the models' time is not summed over sessions). */
        public Seconds plus(Seconds o) {
            return o == null ? new Seconds(probe, fit, samples, finish, null)
                    : new Seconds(probe + o.probe, fit + o.fit, samples + o.samples, finish + o.finish, null);
        }
    }

    /** Seconds inside the backbone (generate), the recogniser (align and embed) and a demo world's ground truth. */
    public record ModelSeconds(double generate, double alignEmbed, double groundTruth) {}

    /** Boundaries fitted, identities and images written. */
    public record Work(long boundaries, long identities, long images) {
        /** Both summed. */
        public Work plus(Work o) {
            return o == null ? this : new Work(boundaries + o.boundaries, identities + o.identities, images + o.images);
        }
    }

    /** This record with the compute settings the run keeps. */
    public RunRecord withCompute(Compute backboneCompute, Compute recognizerCompute) {
        return new RunRecord(configFile, configHash, config, seed, backbone.withModelOptions(backboneCompute),
                recognizer.withModelOptions(recognizerCompute), runtimes, jvm, exfaceganVersion, status, summary,
                repairedThisSession, secondsThisSession, workThisSession, secondsTotal, workTotal);
    }

    /** This record as a session starts: running, the totals of earlier sessions kept (a killed session must not lose them). */
    public RunRecord running(RunRecord earlier) {
        return new RunRecord(configFile, configHash, config, seed, backbone, recognizer, runtimes, jvm, exfaceganVersion,
                Status.RUNNING, null, null, null, null, earlier == null ? null : earlier.secondsTotal,
                earlier == null ? null : earlier.workTotal);
    }

    /** This record when the run completes: its summary, this session's repairs, time and work, and the totals with them. */
    public RunRecord complete(RunSummary summary, List<String> repaired, Seconds seconds, Work work) {
        return new RunRecord(configFile, configHash, config, seed, backbone, recognizer, runtimes, jvm, exfaceganVersion,
                Status.COMPLETE, summary, List.copyOf(repaired), seconds, work, seconds.plus(secondsTotal), work.plus(workTotal));
    }

    /** The run.json of a run folder, bound strictly: a damaged one is named by file and field. */
    public static RunRecord read(Path runFolder) {
        return Json.read(runFolder.resolve(RunLayout.RUN_JSON), RunRecord.class, "run record");
    }

    @JsonIgnore // a question, not a field
    public boolean isComplete() {
        return status == Status.COMPLETE;
    }
}
