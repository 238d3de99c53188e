package org.exfacegan.training.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.run.RunFolder;

/**
 * A checkpoint folder {@code checkpoints/step-NNNNNNNN/}: {@code model.pt} (the network with its
 * batch-norm statistics, as libtorch saves it), {@code head.npy} (class weights), {@code momentum.npy}
 * (the optimiser's velocities, network then head, flattened) and {@code state.json}. It is written
 * into a hidden temporary folder, every file forced to disk, then renamed into place: killed at any
 * moment, a checkpoint is whole or absent. Older checkpoints are deleted after a new one lands.
 */
public record Checkpoint(Path folder, TrainState state) {
    static final String DIR = "checkpoints";
    static final String MODEL = "model.pt";
    static final String HEAD = "head.npy";
    static final String MOMENTUM = "momentum.npy";
    static final String STATE = "state.json";
    private static final Pattern NAME = Pattern.compile("step-(\\d{8,})");

    Path model() {
        return folder.resolve(MODEL);
    }

    Npy.Array head() {
        return read(HEAD);
    }

    float[] momentum() {
        return read(MOMENTUM).floats();
    }

    private Npy.Array read(String name) {
        try {
            return Npy.read(folder.resolve(name));
        } catch (org.exfacegan.npy.NpyException e) {
            throw new ExfaceganException("checkpoint " + folder + " cannot be read (" + e.getMessage() + "); delete that folder "
                    + "to resume from the one before it, or the output folder to start over", e);
        }
    }

    /** The latest checkpoint in the run folder, or null. */
    static Checkpoint latest(RunFolder run) {
        Path dir = run.resolve(DIR);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path best = null;
        long bestStep = -1;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) > bestStep) {
                    bestStep = Long.parseLong(m.group(1));
                    best = p;
                }
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot list checkpoints in " + dir + ": " + RunFolder.describe(e), e);
        }
        if (best == null) {
            return null;
        }
        try {
            TrainState state = ConfigLoader.MAPPER.readValue(Files.readString(best.resolve(STATE)), TrainState.class);
            return new Checkpoint(best, state);
        } catch (IOException e) {
            throw new ExfaceganException("checkpoint " + best + " cannot be read (" + RunFolder.describe(e)
                    + "); delete that folder to resume from the one before it, or the output folder to start over", e);
        }
    }

    /** Writes a checkpoint atomically and removes the older ones. */
    static Checkpoint write(RunFolder run, TrainState state, byte[] model, Npy.Array head, float[] momentum) {
        String name = String.format("step-%08d", state.step());
        Path dir = run.resolve(DIR);
        Path tmp = run.resolve(DIR + "/." + name + ".tmp");
        Path target = run.resolve(DIR + "/" + name);
        try {
            RunFolder.deleteTree(tmp);
            Files.createDirectories(tmp);
            Map<String, byte[]> files = Map.of(MODEL, model, HEAD, Npy.toBytes(head),
                    MOMENTUM, Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {momentum.length}, momentum)),
                    STATE, ConfigLoader.toJson(state).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                try (FileChannel out = FileChannel.open(tmp.resolve(f.getKey()), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.wrap(f.getValue());
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                    out.force(true);
                }
            }
            RunFolder.deleteTree(target); // a checkpoint of this step from an earlier, killed attempt: the same content
            RunFolder.moveAtomically(tmp, target);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Matcher m = NAME.matcher(p.getFileName().toString());
                    if (m.matches() && Long.parseLong(m.group(1)) < state.step()) {
                        RunFolder.deleteTree(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new ExfaceganException("cannot write checkpoint " + target + ": " + RunFolder.describe(e), e);
        }
        return new Checkpoint(target, state);
    }
}
