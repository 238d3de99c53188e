package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runner.layout.RejectedProbe;
import org.exfacegan.runner.layout.RunLayout;
import org.exfacegan.runner.progress.Progress;

/**
 * Draws the probe latents, renders and embeds them, in chunks that are each written whole with
 * their checksums (a killed run resumes at the first missing chunk), then joins the chunks into
 * {@code probe/z.npy, w.npy, latents.npy, embeddings.npy, accepted.npy, rejected.jsonl}, whose
 * checksums {@code probe/DONE} records last.
 */
final class ProbeStage {
    /** Probes per chunk file; z depends on (seed, index) only, so the chunking never changes results. */
    static final int CHUNK = 128;

    private final RunFolder folder;
    private final Backbone backbone;
    private final Recognizer recognizer;
    private final Progress progress;

    ProbeStage(RunFolder folder, Backbone backbone, Recognizer recognizer, Progress progress) {
        this.folder = folder;
        this.backbone = backbone;
        this.recognizer = recognizer;
        this.progress = progress;
    }

    /**
     * The probe set: loaded when its files match the checksums recorded when they were written,
     * else computed (again, if damaged: {@code notices} says so), resuming at the first chunk
     * that is not intact.
     */
    ProbeSet run(long seed, int count, Consumer<String> notices, UnitRunner units, ResolvedConfig rc) {
        if (isDone(folder, notices)) {
            return load(folder);
        }
        int chunks = chunks(count);
        List<Integer> todo = chunksToWrite(folder, count, notices);
        long done = count;
        for (int c : todo) {
            done -= size(c, count);
        }
        try (Progress.Stage bar = progress.stage("probe set", count, done, "faces")) {
            units.run(UnitRunner.Kind.PROBE_CHUNK, rc, todo, c -> writeChunk(c, seed, count), c -> bar.step(size(c, count)));
        }
        join(chunks);
        return load(folder);
    }

    /** Whether the joined probe set is written and intact; damaged, it is deleted and {@code notices} says so. */
    private static boolean isDone(RunFolder folder, Consumer<String> notices) {
        if (!folder.exists(RunLayout.PROBE_DONE)) {
            return false;
        }
        List<String> problems = Checksums.verify(folder, RunLayout.PROBE_DONE);
        if (problems.isEmpty()) {
            return true;
        }
        notices.accept("repairing the probe set: " + Checksums.summarise(problems) + "; computing it again");
        folder.delete(RunLayout.PROBE_DONE);
        return false;
    }

    /** The chunks not written intact (a damaged one is deleted, and {@code notices} says so). */
    private static List<Integer> chunksToWrite(RunFolder folder, int count, Consumer<String> notices) {
        List<Integer> todo = new ArrayList<>();
        for (int c = 0; c < chunks(count); c++) {
            boolean intact = false;
            if (folder.exists(RunLayout.chunk(c))) {
                List<String> problems = Checksums.verify(folder, RunLayout.chunk(c) + "/" + RunLayout.CHUNK_SUMS);
                intact = problems.isEmpty();
                if (!intact) {
                    notices.accept("repairing probe chunk " + c + ": " + Checksums.summarise(problems));
                    folder.delete(RunLayout.chunk(c));
                }
            }
            if (!intact) {
                todo.add(c);
            }
        }
        return todo;
    }

    static int chunks(int count) {
        return (count + CHUNK - 1) / CHUNK;
    }

    private static int size(int chunk, int count) {
        return Math.min(CHUNK, count - chunk * CHUNK);
    }

    /** Writes chunk {@code c} of a probe set of {@code count} probes: one unit of work. */
    void writeChunk(int c, long seed, int count) {
        writeChunk(c, seed, c * CHUNK, size(c, count));
    }

    private void writeChunk(int c, long seed, int start, int n) {
        FloatTensor z = backbone.sampleZ(seed, start, n);
        FloatTensor w = backbone.map(z);
        FloatTensor lat = backbone.fitLatents(z, w);
        String what = "probes " + start + ".." + (start + n - 1);
        int embDim = recognizer.embeddingSize();
        Embeddings e = ModelOutput.embeddings(recognizer.embed(ModelOutput.images(backbone.render(lat), n, what)), n, embDim, what);
        float[] emb = new float[n * embDim];
        boolean[] accepted = new boolean[n];
        StringBuilder rejected = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (e.isRejected(i)) {
                rejected.append(Json.line(new RejectedProbe(start + i, e.rejected()[i])));
                continue;
            }
            accepted[i] = true;
            System.arraycopy(e.vectors()[i], 0, emb, i * embDim, embDim);
        }
        Finite.check(lat.data(), "latents of probes " + start + ".." + (start + n - 1));
        String chunk = RunLayout.chunk(c);
        Path tmp = folder.temporary(chunk);
        try {
            Files.createDirectories(tmp);
            Npy.write(tmp.resolve(RunLayout.Z), z.data(), z.shape());
            Npy.write(tmp.resolve(RunLayout.W), w.data(), w.shape());
            Npy.write(tmp.resolve(RunLayout.LATENTS), lat.data(), lat.shape());
            Npy.write(tmp.resolve(RunLayout.EMBEDDINGS), emb, n, embDim);
            Npy.write(tmp.resolve(RunLayout.ACCEPTED), accepted, n);
            Files.writeString(tmp.resolve(RunLayout.REJECTED), rejected, StandardCharsets.UTF_8);
            Checksums sums = new Checksums();
            for (String f : RunLayout.PROBE_FILES) {
                sums.addFile(chunk + "/" + f, tmp.resolve(f));
            }
            Files.write(tmp.resolve(RunLayout.CHUNK_SUMS), sums.toBytes());
            folder.publish(tmp, chunk);
        } catch (IOException ex) {
            try {
                RunFolder.deleteTree(tmp); // give back the space
            } catch (IOException ignored) {
                // the next run clears the temporaries
            }
            throw new ExfaceganException("cannot write probe chunk " + tmp + ": " + RunFolder.describe(ex), ex);
        }
    }

    private void join(int chunks) {
        Checksums sums = new Checksums();
        for (String name : List.of(RunLayout.Z, RunLayout.W, RunLayout.LATENTS, RunLayout.EMBEDDINGS)) {
            List<Npy.Array> parts = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                parts.add(Npy.read(folder.resolve(RunLayout.chunk(c) + "/" + name)));
            }
            sums.write(folder, RunLayout.probe(name), Npy.toBytes(NpyRows.concat(parts)));
        }
        List<boolean[]> acc = new ArrayList<>();
        StringBuilder rejected = new StringBuilder();
        int total = 0;
        for (int c = 0; c < chunks; c++) {
            boolean[] a = Npy.read(folder.resolve(RunLayout.chunk(c) + "/" + RunLayout.ACCEPTED)).booleans();
            acc.add(a);
            total += a.length;
            rejected.append(folder.readString(RunLayout.chunk(c) + "/" + RunLayout.REJECTED));
        }
        boolean[] all = new boolean[total];
        int at = 0;
        for (boolean[] a : acc) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        sums.write(folder, RunLayout.probe(RunLayout.ACCEPTED), Npy.toBytes(new Npy.Array(Npy.DType.BOOL, new long[] {total}, all)));
        sums.write(folder, RunLayout.probe(RunLayout.REJECTED), rejected.toString().getBytes(StandardCharsets.UTF_8));
        folder.writeAtomically(RunLayout.PROBE_DONE, sums.toBytes()); // last: marks the stage done
        folder.delete(RunLayout.PROBE_CHUNKS);
    }

    /** The joined probe set as written. */
    static ProbeSet load(RunFolder folder) {
        Npy.Array lat = Npy.read(folder.resolve(RunLayout.probe(RunLayout.LATENTS)));
        Npy.Array emb = Npy.read(folder.resolve(RunLayout.probe(RunLayout.EMBEDDINGS)));
        boolean[] accepted = Npy.read(folder.resolve(RunLayout.probe(RunLayout.ACCEPTED))).booleans();
        return new ProbeSet(lat.floats(), (int) lat.shape()[1], emb.floats(), (int) emb.shape()[1], accepted);
    }
}
