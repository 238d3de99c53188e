package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ExperimentConfig;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.dataset.Png;

/**
 * What a run will need: the largest arrays it makes (a Java array holds at most 2^31 - 9
 * elements: past that a run cannot work at all), the heap it holds at its peak, and the disk its
 * files take. Computed from the config and the models' sizes before anything runs, so a config
 * asking for 200 million probes is refused at once instead of running until memory or disk ends.
 * The heap and disk figures are estimates (the models' own buffers and the JVM's overhead come on
 * top); {@code --no-size-check} skips those two checks, never the array limits.
 */
public final class SizeEstimate {
    /** Largest Java array the JVM allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Manifest line, identity metadata line, checksum lines per image (bytes, generous). */
    private static final long TEXT_PER_IMAGE = 200 + 200 + 100;

    /**
     * The sizes the estimate is made from.
     *
     * @param layout     the backbone's latent spaces and image size
     * @param embedding  the recogniser's embedding size
     * @param cropPixels pixels of one crop the recogniser embeds (what a dataset image holds)
     * @param cropPng    bytes of one crop as PNG
     * @param fullPng    bytes of one full-resolution image as PNG
     * @param measured   whether the crop figures come from a rendered sample (else upper bounds)
     */
    public record Dims(LatentLayout layout, int embedding, long cropPixels, long cropPng, long fullPng, boolean measured) {
        /** Upper bounds from the layout alone (a crop no larger than the image, PNG no smaller than raw): no model call. */
        static Dims bounds(LatentLayout layout, int embedding) {
            long pixels = (long) layout.resolution() * layout.resolution();
            return new Dims(layout, embedding, pixels, pixels * 3 + 1024, pixels * 3 + 1024, false);
        }

        /** The sizes of one rendered probe, its crop and both PNGs (one image through the models). */
        public static Dims measure(Backbone backbone, Recognizer recognizer, long seed) {
            FloatTensor z = backbone.sampleZ(seed, 0, 1);
            ImageBatch image = backbone.render(backbone.fitLatents(z, backbone.map(z)));
            ImageBatch crop = recognizer.embed(image).crops();
            return new Dims(backbone.layout(), recognizer.embeddingSize(), (long) crop.width() * crop.height(),
                    Png.encode(crop, 0).length, Png.encode(image, 0).length, true);
        }
    }

    private final Map<String, Long> disk = new LinkedHashMap<>();
    private final Map<String, Long> heap = new LinkedHashMap<>();
    private final List<String> impossible = new ArrayList<>();

    private SizeEstimate() {}

    /** The estimate of config {@code c} with models of sizes {@code d}. */
    public static SizeEstimate of(ExperimentConfig c, Dims d) {
        SizeEstimate e = new SizeEstimate();
        long p = c.probes();
        long refs = c.identities() != null ? c.identities() : p;
        long ids = refs * (c.sampling().twoSided() ? 2 : 1);
        long s = c.samplesPerIdentity();
        long fit = d.layout().fitDim();
        long z = d.layout().zSize();
        long w = d.layout().wSize();
        long emb = d.embedding();
        long pixels = (long) d.layout().resolution() * d.layout().resolution();
        long images = ids * s;

        e.array("/probes", "the probe latents", p, Math.max(Math.max(z, w), Math.max(fit, emb)));
        e.array(c.identities() != null ? "/identities" : "/probes", "the cosines of every reference to every probe"
                + (c.identities() == null ? " (identities unset: every accepted probe is a reference)" : ""), refs, p);
        e.array("/samples_per_identity", "the rendered images of one identity's block (float RGB)", s, 3 * pixels);
        e.array("/samples_per_identity", "the dataset's latents", images, fit);

        long probeFiles = p * (z + w + fit + emb) * 4 + p + 1024;
        e.disk.put("probe set", 2 * probeFiles); // the chunks and the joined files, side by side while joining
        e.disk.put("boundaries", refs * (fit * 4 + 8 + 8 + 200));
        e.disk.put("identities", ids * (s * (d.cropPng() + fit * 4 + TEXT_PER_IMAGE) + d.cropPng() + 2048)
                + (c.dataset().fullResolution() ? images * d.fullPng() : 0));
        e.disk.put("dataset index", images * (fit * 4 + 200) + (c.dataset().recordio() ? images * (d.cropPng() + 40) : 0));

        long probeSet = p * (fit + emb) * 4; // held for the whole run
        long join = 3 * p * Math.max(Math.max(z, w), Math.max(fit, emb)) * 4;
        long fitting = p * (fit + emb) * 4 * 2 + refs * p * (4 + 1) + refs * fit * (8 + 4) + fit * fit * 8;
        long sampling = s * (3 * pixels * (4 + 1) + d.cropPixels() * 3 + d.cropPng()) * 2;
        long finish = images * fit * 4 * 3 + images * 200 * 2 * 2 + (c.dataset().recordio() ? images * d.cropPng() * 2 : 0);
        e.heap.put("probe set", probeSet);
        e.heap.put("peak stage", Math.max(Math.max(join, fitting), Math.max(sampling, finish)));
        return e;
    }

    private void array(String pointer, String what, long rows, long columns) {
        if (rows > 0 && columns > MAX_ARRAY / rows) {
            impossible.add(pointer + ": " + what + " would need one array of " + String.format(Locale.ROOT, "%,d", rows * columns)
                    + " elements, and a Java array holds at most " + String.format(Locale.ROOT, "%,d", MAX_ARRAY));
        }
    }

    public long diskBytes() {
        return disk.values().stream().mapToLong(Long::longValue).sum();
    }

    public long heapBytes() {
        return heap.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line: the disk and heap figures with their parts. */
    public String describe() {
        return "disk about " + size(diskBytes()) + " (" + parts(disk) + "), heap about " + size(heapBytes()) + " ("
                + parts(heap) + ")";
    }

    private static String parts(Map<String, Long> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + " " + size(v)));
        return String.join(", ", out);
    }

    public static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /**
     * Refuses (a config error) what cannot work: an array past the JVM's limit, always; with
     * {@code check}, more heap than this JVM may use or more disk than is free where the run writes
     * (less what an earlier session of the run already wrote there).
     */
    public void require(ResolvedConfig rc, boolean check) {
        if (!impossible.isEmpty()) {
            throw new ConfigException("config " + rc.file() + ": " + impossible.get(0) + "; lower it (this is a limit of the JVM, "
                    + "not of the machine)");
        }
        if (!check) {
            return;
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (heapBytes() > maxHeap) {
            throw new ConfigException("config " + rc.file() + ": this run needs " + describe() + ", but this JVM may use "
                    + size(maxHeap) + " of heap: give it more (EXFACEGAN_JAVA_OPTS=-Xmx" + Math.max(2, heapBytes() * 2 >> 30) + "g "
                    + "./exfacegan ...), lower probes, identities or samples_per_identity, or pass --no-size-check if you know better");
        }
        long free = usableSpace(rc.output()) + bytesIn(rc.output());
        if (diskBytes() > free) {
            throw new ConfigException("config " + rc.file() + ": this run needs " + describe() + ", but only " + size(free)
                    + " of disk is free at " + rc.output() + ": free space, choose another output folder, lower probes, "
                    + "identities or samples_per_identity, or pass --no-size-check if you know better");
        }
    }

    /** Free space of the file system the folder is (or will be) on. */
    private static long usableSpace(Path folder) {
        Path p = folder.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? Long.MAX_VALUE : Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // cannot tell: do not refuse for it
        }
    }

    /** Bytes an earlier session of the run already wrote into the folder (they count toward the estimate). */
    private static long bytesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
