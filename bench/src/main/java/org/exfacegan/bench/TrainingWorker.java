package org.exfacegan.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.djl.DjlPytorchProvider;
import org.exfacegan.training.engine.MarginLoss;
import org.exfacegan.training.engine.MarginTraining;
import org.exfacegan.training.engine.TorchNetwork;

/**
 * The DJL side of the training benchmark, in a fresh JVM (its peak memory is its own): the
 * trainer's own step ({@link MarginTraining}) on a fixed batch. Args as torch_training.py:
 * MODEL.pt INPUT.npy LABELS.npy HEAD.npy THREADS WARMUP STEPS; prints the same JSON line.
 */
public final class TrainingWorker {
    private TrainingWorker() {}

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Npy.Array input = Npy.read(Path.of(args[1]));
        long[] labels = Npy.read(Path.of(args[2])).longs();
        Npy.Array headInit = Npy.read(Path.of(args[3]));
        int classes = (int) headInit.shape()[0];
        int threads = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        int steps = Integer.parseInt(args[6]);
        var engine = DjlPytorchProvider.engine();
        JniUtils.setNumThreads(threads);
        List<Double> losses = new ArrayList<>();
        double seconds;
        double cpuSeconds;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (TorchNetwork net = TorchNetwork.load(model, Device.cpu(), null); NDManager head = net.manager().newSubManager()) {
            MarginTraining training = new MarginTraining(engine, net, head, classes, (int) headInit.shape()[1],
                    new MarginLoss(MarginLoss.Type.COSFACE, 64, 0.35), 0.9, 5e-4, headInit.floats(), null);
            float[] x = input.floats();
            long start = 0;
            long cpuStart = 0;
            for (int step = 0; step < warmup + steps; step++) {
                if (step == warmup) {
                    start = System.nanoTime();
                    cpuStart = os.getProcessCpuTime();
                }
                losses.add((double) training.step(x, labels, 0.1, step).loss());
            }
            seconds = (System.nanoTime() - start) / 1e9;
            cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        }
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("images_per_second", steps * labels.length / seconds);
        out.put("images_per_cpu_second", steps * labels.length / cpuSeconds);
        out.put("losses", losses);
        out.put("peak_rss_mb", Bench.procKb("VmHWM") / 1024.0);
        out.put("threads", JniUtils.getNumThreads());
        out.put("version", new DjlPytorchProvider().version());
        System.out.println(Json.MAPPER.writeValueAsString(out));
    }
}
