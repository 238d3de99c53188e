package org.exfacegan.training.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.training.DemoData;
import org.exfacegan.training.config.TrainingConfigLoader;
import org.exfacegan.training.engine.TorchNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training in a child JVM ({@code exfacegan train}) killed with SIGKILL at random moments, then run
 * to the end by the same command, ends with exactly the weights, batch-norm statistics and curve
 * of an uninterrupted training (dropout and RandAugment on, so their random streams are covered).
 */
class ResumeTest {
    @TempDir
    Path dir;

    private String config(String output, Path data, String extra) {
        return config(output, data, 2, extra);
    }

    private String config(String output, Path data, int epochs, String extra) {
        return "{\"name\": \"resume\", \"seed\": 11, \"output\": \"" + output + "\", \"data\": \"" + data + "\","
                + " \"network\": {\"type\": \"iresnet18\", \"width\": 0.125, \"embedding_size\": 32, \"stem_stride\": 2, \"dropout\": 0.2},"
                + " \"schedule\": {\"epochs\": " + epochs + ", \"warmup_epochs\": 0.5}, \"batch_size\": 32,"
                + " \"augment\": {\"flip\": true, \"rand_augment\": {\"ops\": 2, \"magnitude\": 9}},"
                + " \"holdout\": {\"identities\": 4, \"pairs\": 100}, \"threads\": 1, \"checkpoint_every\": 4" + extra + "}";
    }

    @Test
    void killedAtRandomMomentsResumesToTheSameWeights() throws Exception {
        Path data = DemoData.shared();
        Path refCfg = Files.writeString(dir.resolve("reference.json"), config("reference", data, ""));
        Trainer.Result reference = new Trainer(TrainingConfigLoader.load(refCfg), org.exfacegan.runner.progress.Progress.QUIET).run();
        Path cfg = Files.writeString(dir.resolve("killed.json"), config("killed", data, ""));
        Path out = dir.resolve("killed");
        SplittableRandom rnd = new SplittableRandom(20261129);
        List<Long> stepsAtKill = new ArrayList<>();
        int attempts = 0;
        long lastStep = 0;
        while (stepsAtKill.size() < 3 && attempts++ < 12) {
            Process p = child(cfg);
            // each kill lands after a checkpoint beyond the last one, at a random moment (also while one is written)
            while (p.isAlive() && checkpointStep(out) <= lastStep) {
                Thread.sleep(10);
            }
            Thread.sleep(rnd.nextInt(1500));
            if (!p.isAlive()) {
                assertEquals(0, p.waitFor(), Files.readString(dir.resolve("child-err.txt")));
                org.exfacegan.runner.run.RunFolder.deleteTree(out); // finished before the kill: start over to keep killing
                lastStep = 0;
                continue;
            }
            p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks
            lastStep = checkpointStep(out);
            stepsAtKill.add(lastStep);
        }
        Process last = child(cfg);
        assertTrue(last.waitFor(300, TimeUnit.SECONDS), "the resumed training did not finish");
        assertEquals(0, last.exitValue(), Files.readString(dir.resolve("child-err.txt")));
        System.out.printf("kill and resume: %d kills after a checkpoint (last checkpoint steps %s) of %d attempts%n",
                stepsAtKill.size(), stepsAtKill, attempts);
        assertEquals(3, stepsAtKill.size(), "kills that landed after a new checkpoint: " + stepsAtKill);
        assertSameNetwork(reference.model(), out.resolve(Trainer.MODEL));
        try (TorchNetwork net = TorchNetwork.load(out.resolve(Trainer.MODEL), Device.cpu(), java.util.Set.of())) {
            for (float v : net.trainable().get(net.trainableNames().indexOf("features.weight")).toFloatArray()) {
                assertEquals(1f, v, "the fixed BN scale stays fixed across resumes");
            }
        }
        Trainer.Result resumed = new Trainer(TrainingConfigLoader.load(cfg), org.exfacegan.runner.progress.Progress.QUIET).run();
        assertTrue(resumed.already());
        assertEquals(reference.curve().size(), resumed.curve().size());
        for (int e = 0; e < reference.curve().size(); e++) {
            EpochRecord a = reference.curve().get(e);
            EpochRecord b = resumed.curve().get(e);
            assertEquals(a.loss(), b.loss(), "loss of epoch " + e);
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), "training accuracy of epoch " + e);
            assertEquals(a.evaluation(), b.evaluation(), "evaluation of epoch " + e);
        }
    }

    @Test
    void aResumeWithAnotherConfigIsRefusedButThreadsMayChange() throws Exception {
        Path data = DemoData.shared();
        Path cfg = Files.writeString(dir.resolve("a.json"), config("out", data, 1, ""));
        Process p = child(cfg);
        Path out = dir.resolve("out");
        while (p.isAlive() && checkpointStep(out) < 0) {
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        assertTrue(checkpointStep(out) > 0, "no checkpoint before the child ended: " + Files.readString(dir.resolve("child-err.txt")));
        Files.writeString(cfg, config("out", data, 1, ", \"optimizer\": {\"lr\": 0.05}"));
        String m = assertThrows(ExfaceganException.class, () -> new Trainer(TrainingConfigLoader.load(cfg), org.exfacegan.runner.progress.Progress.QUIET).run())
                .getMessage();
        assertTrue(m.contains("holds a training of another config"), m);
        Files.writeString(cfg, config("out", data, 1, "").replace("\"threads\": 1", "\"threads\": 2"));
        assertTrue(new Trainer(TrainingConfigLoader.load(cfg), org.exfacegan.runner.progress.Progress.QUIET).run().curve().size() == 2);
    }

    /** Trainable tensors equal bit for bit, and inference outputs too (which covers the batch-norm statistics). */
    static void assertSameNetwork(Path a, Path b) {
        try (TorchNetwork x = TorchNetwork.load(a, Device.cpu(), java.util.Set.of());
             TorchNetwork y = TorchNetwork.load(b, Device.cpu(), java.util.Set.of())) {
            assertEquals(x.trainableNames(), y.trainableNames());
            for (int i = 0; i < x.trainable().size(); i++) {
                assertArrayEquals(x.trainable().get(i).toFloatArray(), y.trainable().get(i).toFloatArray(), x.trainableNames().get(i));
            }
            float[] input = new float[3 * 3 * 112 * 112];
            SplittableRandom rnd = new SplittableRandom(2);
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) rnd.nextDouble(-1, 1);
            }
            assertArrayEquals(x.embed(input, 3), y.embed(input, 3));
        }
    }

    private static long checkpointStep(Path out) throws IOException {
        Path dir = out.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+"))
                    .mapToLong(n -> Long.parseLong(n.substring(5))).max().orElse(-1);
        }
    }

    private Process child(Path cfg) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.exfacegan.runner.Main", "-q", "train",
                cfg.toString(), "--plugins", dir.resolve("none").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("child-err.txt").toFile())
                .start();
    }
}
