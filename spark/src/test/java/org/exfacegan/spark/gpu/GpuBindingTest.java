package org.exfacegan.spark.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.exfacegan.api.ExfaceganException;
import org.junit.jupiter.api.Test;

/** Spark's per-task GPU assignment (a fake resource map) mapped to the runtime's device names. */
class GpuBindingTest {
    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of("gpu", new ResourceInformation("gpu", addresses));
    }

    @Test
    void theAssignedAddressBecomesTheCudaDevice() {
        assertEquals("cuda:0", GpuBinding.device("cuda", gpus("0"), null));
        assertEquals("cuda:3", GpuBinding.device("cuda", gpus("3"), null));
        assertEquals("cuda:3", GpuBinding.device("cuda:0", gpus("3"), null), "on Spark the assignment wins over a config's index");
        assertEquals("cuda:12", GpuBinding.device("cuda", gpus(" 12 "), ""));
    }

    @Test
    void cpuNeedsNoGpuAndIgnoresOne() {
        assertEquals("cpu", GpuBinding.device("cpu", Map.of(), null));
        assertEquals("cpu", GpuBinding.device("cpu", gpus("1"), null));
    }

    @Test
    void visibleDevicesRenumberFromZero() {
        assertEquals("cuda:1", GpuBinding.device("cuda", gpus("5"), "4,5"));
        assertEquals("cuda:0", GpuBinding.device("cuda", gpus("GPU-8d1b"), "GPU-8d1b,GPU-77aa"));
        ExfaceganException hidden = assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda", gpus("2"), "0,1"));
        assertTrue(hidden.getMessage().contains("CUDA_VISIBLE_DEVICES=0,1") && hidden.getMessage().contains("GPU 2"), hidden.getMessage());
    }

    @Test
    void missingTooManyOrUnreadableGpusAreClearErrors() {
        ExfaceganException none = assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda", Map.of(), null));
        assertTrue(none.getMessage().contains("spark.task.resource.gpu.amount"), none.getMessage());
        assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda", gpus(), null));
        ExfaceganException two = assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda", gpus("0", "1"), null));
        assertTrue(two.getMessage().contains("2 GPUs [0, 1]"), two.getMessage());
        ExfaceganException uuid = assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda", gpus("GPU-8d1b"), null));
        assertTrue(uuid.getMessage().contains("GPU-8d1b") && uuid.getMessage().contains("index"), uuid.getMessage());
        assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda", gpus("99999"), null));
        assertThrows(ExfaceganException.class, () -> GpuBinding.device("tpu", gpus("0"), null));
        assertThrows(ExfaceganException.class, () -> GpuBinding.device("cuda:-1", gpus("0"), null));
    }
}
