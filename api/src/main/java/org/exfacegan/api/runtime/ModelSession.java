package org.exfacegan.api.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * An open model. Native resources are released by {@link #close()}; any call after close throws
 * IllegalStateException.
 */
public interface ModelSession extends AutoCloseable {
    /** The model file. */
    Path file();

    /** Name of the runtime that runs it. */
    String runtime();

    List<TensorSpec> inputs();

    List<TensorSpec> outputs();

    /** Runs one batch; every input named in {@link #inputs()} must be given. Returns all outputs by name. */
    Map<String, FloatTensor> run(Map<String, FloatTensor> inputs);

    @Override
    void close();

    /**
     * Checks that the model's inputs or outputs match what a plugin expects: same names, ranks, and
     * fixed sizes (a negative expected size accepts anything; the batch dimension is usually -1).
     * The error lists expected vs actual.
     */
    default void expect(List<TensorSpec> expectedInputs, List<TensorSpec> expectedOutputs) {
        List<String> problems = new ArrayList<>();
        compare("input", expectedInputs, inputs(), problems);
        compare("output", expectedOutputs, outputs(), problems);
        if (!problems.isEmpty()) {
            throw new ExfaceganException("model " + file() + " does not have the expected layout: "
                    + String.join("; ", problems) + " (expected inputs " + expectedInputs + ", outputs "
                    + expectedOutputs + "; model has inputs " + inputs() + ", outputs " + outputs() + ")");
        }
    }

    private static void compare(String role, List<TensorSpec> expected, List<TensorSpec> actual, List<String> problems) {
        for (TensorSpec e : expected) {
            TensorSpec a = actual.stream().filter(t -> t.name().equals(e.name())).findFirst().orElse(null);
            if (a == null) {
                problems.add("missing " + role + " '" + e.name() + "'");
                continue;
            }
            long[] es = e.shape();
            long[] as = a.shape();
            if (es.length != as.length) {
                problems.add(role + " '" + e.name() + "' has rank " + as.length + ", expected " + es.length);
                continue;
            }
            for (int i = 0; i < es.length; i++) {
                if (es[i] >= 0 && as[i] >= 0 && es[i] != as[i]) {
                    problems.add(role + " '" + e.name() + "' dimension " + i + " is " + as[i] + ", expected " + es[i]);
                }
            }
        }
    }
}
