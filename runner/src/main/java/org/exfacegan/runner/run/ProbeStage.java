package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.npy.Npy;
import org.exfacegan.runner.progress.Progress;

/**
 * Draws the probe latents, renders and embeds them, in chunks that are each written whole
 * (a killed run resumes at the first missing chunk), then joins the chunks into
 * {@code probe/z.npy, w.npy, latents.npy, embeddings.npy, accepted.npy}.
 */
final class ProbeStage {
    /** Probes per chunk file; z depends on (seed, index) only, so the chunking never changes results. */
    static final int CHUNK = 128;
    static final String DIR = "probe";
    static final String DONE = DIR + "/DONE";

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

    ProbeSet run(long seed, int count) {
        if (!folder.exists(DONE)) {
            int chunks = (count + CHUNK - 1) / CHUNK;
            long done = 0;
            for (int c = 0; c < chunks; c++) {
                if (folder.exists(chunkDir(c))) {
                    done += Math.min(CHUNK, count - c * CHUNK);
                }
            }
            try (Progress.Stage bar = progress.stage("probe set", count, done, "faces")) {
                for (int c = 0; c < chunks; c++) {
                    if (folder.exists(chunkDir(c))) {
                        continue;
                    }
                    int start = c * CHUNK;
                    int n = Math.min(CHUNK, count - start);
                    writeChunk(c, seed, start, n);
                    bar.step(n);
                }
            }
            join(chunks);
        }
        return load();
    }

    private static String chunkDir(int c) {
        return DIR + "/chunks/" + String.format("%05d", c);
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
                rejected.append("{\"probe\": ").append(start + i).append(", \"reason\": ")
                        .append(jsonString(e.rejected()[i])).append("}\n");
                continue;
            }
            accepted[i] = true;
            System.arraycopy(e.vectors()[i], 0, emb, i * embDim, embDim);
        }
        Finite.check(lat.data(), "latents of probes " + start + ".." + (start + n - 1));
        Path tmp = folder.resolve(DIR + "/chunks/." + String.format("%05d", c) + ".tmp");
        try {
            RunFolder.deleteTree(tmp);
            Files.createDirectories(tmp);
            Npy.write(tmp.resolve("z.npy"), z.data(), z.shape());
            Npy.write(tmp.resolve("w.npy"), w.data(), w.shape());
            Npy.write(tmp.resolve("latents.npy"), lat.data(), lat.shape());
            Npy.write(tmp.resolve("embeddings.npy"), emb, n, embDim);
            Npy.write(tmp.resolve("accepted.npy"), accepted, n);
            Files.writeString(tmp.resolve("rejected.jsonl"), rejected, StandardCharsets.UTF_8);
            RunFolder.moveAtomically(tmp, folder.resolve(chunkDir(c)));
        } catch (IOException ex) {
            try {
                RunFolder.deleteTree(tmp); // give back the space
            } catch (IOException ignored) {
                // the next run removes it
            }
            throw new ExfaceganException("cannot write probe chunk " + tmp + ": " + RunFolder.describe(ex), ex);
        }
    }

    private void join(int chunks) {
        String[] names = {"z", "w", "latents", "embeddings"};
        for (String name : names) {
            List<Npy.Array> parts = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                parts.add(Npy.read(folder.resolve(chunkDir(c) + "/" + name + ".npy")));
            }
            folder.writeAtomically(DIR + "/" + name + ".npy", Npy.toBytes(concatFloats(parts)));
        }
        List<boolean[]> acc = new ArrayList<>();
        StringBuilder rejected = new StringBuilder();
        int total = 0;
        for (int c = 0; c < chunks; c++) {
            boolean[] a = Npy.read(folder.resolve(chunkDir(c) + "/accepted.npy")).booleans();
            acc.add(a);
            total += a.length;
            try {
                rejected.append(Files.readString(folder.resolve(chunkDir(c) + "/rejected.jsonl")));
            } catch (IOException e) {
                throw new ExfaceganException("cannot read " + chunkDir(c) + "/rejected.jsonl: " + RunFolder.describe(e), e);
            }
        }
        boolean[] all = new boolean[total];
        int at = 0;
        for (boolean[] a : acc) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        folder.writeAtomically(DIR + "/accepted.npy", Npy.toBytes(new Npy.Array(Npy.DType.BOOL, new long[] {total}, all)));
        folder.writeAtomically(DIR + "/rejected.jsonl", rejected.toString());
        folder.writeAtomically(DONE, "");
        try {
            RunFolder.deleteTree(folder.resolve(DIR + "/chunks"));
        } catch (IOException e) {
            throw new ExfaceganException("cannot remove " + folder.resolve(DIR + "/chunks") + ": " + RunFolder.describe(e), e);
        }
    }

    private ProbeSet load() {
        Npy.Array lat = Npy.read(folder.resolve(DIR + "/latents.npy"));
        Npy.Array emb = Npy.read(folder.resolve(DIR + "/embeddings.npy"));
        boolean[] accepted = Npy.read(folder.resolve(DIR + "/accepted.npy")).booleans();
        return new ProbeSet(lat.floats(), (int) lat.shape()[1], emb.floats(), (int) emb.shape()[1], accepted);
    }

    static Npy.Array concatFloats(List<Npy.Array> parts) {
        long rows = 0;
        int total = 0;
        for (Npy.Array p : parts) {
            rows += p.shape()[0];
            total += p.floats().length;
        }
        float[] out = new float[total];
        int at = 0;
        for (Npy.Array p : parts) {
            System.arraycopy(p.floats(), 0, out, at, p.floats().length);
            at += p.floats().length;
        }
        long[] shape = parts.get(0).shape();
        shape[0] = rows;
        return new Npy.Array(Npy.DType.FLOAT32, shape, out);
    }

    static String jsonString(String s) {
        return org.exfacegan.runner.config.ConfigLoader.toJson(s).strip();
    }

}
