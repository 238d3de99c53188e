package org.exfacegan.api.runtime;

import java.util.regex.Pattern;

/**
 * How to open a model.
 *
 * @param runtime   runtime provider name ("onnxruntime", "djl-pytorch"), or null to pick by file extension
 * @param device    "cpu" or "cuda:N"
 * @param batchSize largest batch handed to the model in one call (inputs are split; static-batch models padded)
 * @param threads   intra-op threads; 0 lets the runtime decide
 */
public record ModelOptions(String runtime, String device, int batchSize, int threads) {
    private static final Pattern DEVICE = Pattern.compile("cpu|cuda:\\d{1,2}");

    public static final ModelOptions DEFAULT = new ModelOptions(null, "cpu", 8, 0); // batch 8: BENCHMARKS.md, section 4

    public ModelOptions {
        if (device == null) {
            device = "cpu";
        }
        if (!DEVICE.matcher(device).matches()) {
            throw new IllegalArgumentException("device must be \"cpu\" or \"cuda:N\", got \"" + device + "\"");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        }
    }

    public boolean isCuda() {
        return device.startsWith("cuda:");
    }

    /** The N of "cuda:N". */
    public int cudaIndex() {
        return isCuda() ? Integer.parseInt(device.substring(5)) : -1;
    }

    public ModelOptions withRuntime(String name) {
        return new ModelOptions(name, device, batchSize, threads);
    }

    public ModelOptions withBatchSize(int size) {
        return new ModelOptions(runtime, device, size, threads);
    }
}
