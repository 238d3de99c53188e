package org.exfacegan.spark.gpu;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.exfacegan.api.ExfaceganException;

/**
 * Which GPU a Spark task runs its models on. With GPU scheduling on
 * ({@code spark.executor.resource.gpu.amount}, {@code spark.task.resource.gpu.amount}, a discovery
 * script; docs/spark.md) Spark gives each task the address of its GPU; this maps it to the
 * runtime's {@code cuda:N}. Where the executor sees only some GPUs ({@code CUDA_VISIBLE_DEVICES},
 * set by YARN or Kubernetes isolation or by hand) the address is the physical one and CUDA numbers
 * the visible devices from 0, so N is the address's position in that list.
 */
public final class GpuBinding {
    public static final String RESOURCE = "gpu";

    private GpuBinding() {}

    /** The device for the running task: "cpu" when the config asks for it, else the task's GPU. */
    public static String forCurrentTask(String configuredDevice) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new IllegalStateException("not in a Spark task");
        }
        return device(configuredDevice, task.resourcesJMap(), System.getenv("CUDA_VISIBLE_DEVICES"));
    }

    /**
     * @param configuredDevice   the config's device: "cpu", or "cuda" / "cuda:N" (on Spark the GPU is the one Spark assigned)
     * @param resources          the task's resources ({@code TaskContext.resourcesJMap()})
     * @param cudaVisibleDevices the executor's {@code CUDA_VISIBLE_DEVICES}, or null
     */
    public static String device(String configuredDevice, Map<String, ResourceInformation> resources, String cudaVisibleDevices) {
        if (configuredDevice.equals("cpu")) {
            return "cpu";
        }
        if (!configuredDevice.equals("cuda") && !configuredDevice.matches("cuda:[0-9]+")) {
            throw new ExfaceganException("device \"" + configuredDevice + "\" is not cpu, cuda or cuda:N");
        }
        ResourceInformation gpu = resources.get(RESOURCE);
        if (gpu == null || gpu.addresses().length == 0) {
            throw new ExfaceganException("the config asks for device " + configuredDevice
                    + " but Spark gave this task no GPU: set spark.executor.resource.gpu.amount, spark.task.resource.gpu.amount"
                    + " and a discovery script (docs/spark.md), or use device cpu");
        }
        String[] addresses = gpu.addresses();
        if (addresses.length > 1) {
            throw new ExfaceganException("Spark gave this task " + addresses.length + " GPUs " + Arrays.toString(addresses)
                    + "; a task runs its models on one: set spark.task.resource.gpu.amount to 1 (or a fraction to share a GPU)");
        }
        String address = addresses[0].strip();
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::strip).toList();
            int index = visible.indexOf(address);
            if (index < 0) {
                throw new ExfaceganException("Spark gave this task GPU " + address + " but CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices
                        + " hides it: the discovery script and the executor's visible devices disagree");
            }
            return "cuda:" + index;
        }
        if (!address.matches("[0-9]{1,4}")) {
            throw new ExfaceganException("Spark's GPU address \"" + address + "\" is not a device index: the discovery script"
                    + " must print indices (nvidia-smi --query-gpu=index), or CUDA_VISIBLE_DEVICES must list the addresses");
        }
        return "cuda:" + Integer.parseInt(address);
    }
}
