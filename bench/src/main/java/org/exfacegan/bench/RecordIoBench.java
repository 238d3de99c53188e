package org.exfacegan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.DatasetConfig;
import org.exfacegan.runner.dataset.InMemoryRecordIo;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.run.Identity;
import org.exfacegan.runner.run.RecordIoFiles;
import org.exfacegan.runner.run.RunFolder;

/**
 * insightface RecordIO of a dataset folder (112x112 PNG crops, 50 per identity): the streamed writer
 * the runner uses against the in-memory writer it replaced (all images and the whole train.rec in
 * memory, as DatasetFinisher did), each in a fresh JVM so that its peak heap is its own. The images
 * are hard links to a few distinct PNGs, so the folder costs no disk; train.rec is written for real.
 */
final class RecordIoBench {
    private RecordIoBench() {}

    static final int PER_IDENTITY = 50;
    static final int DISTINCT = 16;

    record Result(String mode, int images, String xmx, double seconds, double liveMb, double peakMb, long recBytes) {}

    static void run(int small, int large) throws Exception {
        Path work = Bench.root().resolve("bench/target/recordio-bench");
        RunFolder.deleteTree(work);
        Files.createDirectories(work);
        try {
            long pngBytes = prepare(work.resolve("run/images"), large);
            System.out.printf("%n== 5. RecordIO (train.rec) of %,d and %,d 112x112 PNG crops (mean %.1f KB), %d per identity; "
                    + "each writer in a fresh JVM (serial GC) ==%n", small, large, pngBytes / 1024.0 / DISTINCT, PER_IDENTITY);
            List<Result> rs = new ArrayList<>();
            rs.add(child(work, "in-memory", small, "2g"));
            rs.add(child(work, "streamed", small, "2g"));
            rs.add(child(work, "streamed-jpeg", small, "2g"));
            rs.add(child(work, "streamed", large, "64m"));
            System.out.printf("  %-14s %9s %6s %9s %14s %14s %12s%n", "writer", "images", "-Xmx", "seconds", "live heap MB",
                    "peak heap MB", "train.rec MB");
            for (Result r : rs) {
                System.out.printf(Locale.ROOT, "  %-14s %,9d %6s %9.1f %14.1f %14.1f %12.1f%n", r.mode, r.images, r.xmx, r.seconds,
                        r.liveMb, r.peakMb, r.recBytes / 1048576.0);
            }
            System.out.println("  (live heap: the most any garbage collection left in the heap; peak heap: the heap pools' peak, "
                    + "garbage included; in-memory at " + String.format("%,d", large) + " images would need a train.rec array over "
                    + "the 2 GiB a Java array holds once the crops exceed 21 KB each)");
            Result memory = rs.get(0);
            Result streamed = rs.get(1);
            Result big = rs.get(3);
            Bench.target("5 live heap, in-memory / streamed writer at " + String.format("%,d", small) + " images",
                    String.format("%.0fx (%.0f vs %.1f MB)", memory.liveMb / streamed.liveMb, memory.liveMb, streamed.liveMb),
                    ">= 10x", memory.liveMb / streamed.liveMb >= 10);
            Bench.target("5 streamed writer's live heap flat, " + String.format("%,d vs %,d", large, small) + " images",
                    String.format("%.2fx (%.1f vs %.1f MB)", big.liveMb / streamed.liveMb, big.liveMb, streamed.liveMb),
                    "<= 1.5x", big.liveMb / streamed.liveMb <= 1.5);
            Bench.target("5 streamed writer, " + String.format("%,d", large) + " images in a 64 MiB heap",
                    String.format("%.1f s, %.0f MB train.rec", big.seconds, big.recBytes / 1048576.0), "completes", true);
            System.out.printf("  time streamed / in-memory at %,d images: %.2f; JPEG (quality %d) train.rec / PNG: %.2f%n", small,
                    streamed.seconds / memory.seconds, DatasetConfig.DEFAULT_JPEG_QUALITY,
                    (double) rs.get(2).recBytes / streamed.recBytes);
        } finally {
            RunFolder.deleteTree(work);
        }
    }

    /** identities/NNNNN/NNNN.png for {@code count} images, hard links to {@value #DISTINCT} PNGs; returns their total size. */
    private static long prepare(Path images, int count) throws IOException {
        Path originals = Files.createDirectories(images.getParent().resolve("originals"));
        Random rnd = new Random(5);
        long bytes = 0;
        for (int k = 0; k < DISTINCT; k++) { // smooth shading plus noise: compresses about as a face crop does
            byte[] rgb = new byte[112 * 112 * 3];
            for (int i = 0; i < rgb.length; i++) {
                int y = i / (112 * 3);
                int x = (i / 3) % 112;
                rgb[i] = (byte) Math.max(0, Math.min(255, 60 + x + y / 2 + k * 3 + (int) (rnd.nextGaussian() * 6)));
            }
            Path p = originals.resolve(k + ".png");
            Files.write(p, Png.encode(new ImageBatch(1, 112, 112, rgb), 0));
            bytes += Files.size(p);
        }
        for (int i = 0; i < count; i++) {
            Path dir = images.resolve(String.format("%05d", i / PER_IDENTITY));
            if (i % PER_IDENTITY == 0) {
                Files.createDirectories(dir);
            }
            Files.createLink(dir.resolve(String.format("%04d.png", i % PER_IDENTITY)), originals.resolve((i % DISTINCT) + ".png"));
        }
        return bytes;
    }

    private static Result child(Path work, String mode, int images, String xmx) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx" + xmx, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                RecordIoBench.class.getName(), work.toString(), mode, String.valueOf(images));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("RecordIO writer " + mode + " at " + images + " images (-Xmx" + xmx + ") failed:\n" + out);
        }
        String line = out.lines().filter(l -> l.startsWith("RECORDIO ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result line from the child:\n" + out));
        JsonNode j = ConfigLoader.MAPPER.readTree(line.substring(9));
        return new Result(mode, images, xmx, j.get("seconds").asDouble(), j.get("live_mb").asDouble(), j.get("peak_mb").asDouble(),
                j.get("rec_bytes").asLong());
    }

    /** Child: args work-folder mode images; writes work/run/train.rec (then deletes it) and prints one line "RECORDIO {json}". */
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]).resolve("run");
        String mode = args[1];
        int identities = Integer.parseInt(args[2]) / PER_IDENTITY;
        AtomicLong live = Bench.maxUsedAfterGc(true);
        long t0 = System.nanoTime();
        if (mode.equals("in-memory")) {
            inMemory(run, identities);
        } else {
            List<Identity> ids = new ArrayList<>();
            for (int i = 0; i < identities; i++) {
                ids.add(new Identity(i, i, i, 1));
            }
            try (RunFolder folder = RunFolder.open(run)) {
                RecordIoFiles.write(folder, ids, new DatasetConfig(null, true, null, mode.equals("streamed-jpeg") ? "jpeg" : "png", null));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double peak = Bench.peakHeap();
        ObjectNode o = ConfigLoader.MAPPER.createObjectNode();
        o.put("seconds", seconds);
        o.put("live_mb", live.get() / 1048576.0);
        o.put("peak_mb", peak / 1048576.0);
        o.put("rec_bytes", Files.size(run.resolve("train.rec")));
        for (String f : new String[] {"train.rec", "train.idx", "property"}) {
            Files.delete(run.resolve(f));
        }
        System.out.println("RECORDIO " + ConfigLoader.toJson(o).replace("\n", " "));
    }

    /** What DatasetFinisher did before streaming: every PNG read into lists, then one byte array. */
    private static void inMemory(Path run, int identities) throws IOException {
        List<List<byte[]>> pngs = new ArrayList<>();
        for (int c = 0; c < identities; c++) {
            List<byte[]> one = new ArrayList<>();
            try (var files = Files.list(run.resolve(String.format("images/%05d", c)))) {
                for (Path p : files.sorted().toList()) {
                    one.add(Files.readAllBytes(p));
                }
            }
            pngs.add(one);
        }
        InMemoryRecordIo.Files rec = InMemoryRecordIo.write(pngs, 112);
        Files.write(run.resolve("train.rec"), rec.rec());
        Files.writeString(run.resolve("train.idx"), rec.idx());
        Files.writeString(run.resolve("property"), rec.property());
    }
}
