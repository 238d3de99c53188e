package org.exfacegan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedConfig;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunFolder;
import org.exfacegan.runner.run.RunSummary;

/**
 * The whole pipeline on the demo world (examples/quickstart.json with a fixed probe set and few
 * samples per identity) at several identity counts, each in a fresh JVM with a fixed heap limit
 * so that peak heap and peak RSS belong to that run alone.
 */
final class EndToEnd {
    private EndToEnd() {}

    static final String XMX = "1g";

    record Run(int identities, double wall, JsonNode seconds, double peakHeapMb, double liveMb, double peakRssMb, int images,
            double retainedMb) {}

    static void run(int probes, int samples, int[] scales) throws Exception {
        System.out.printf("%n== 3. End to end on the demo world (examples/quickstart.json: stylegan2 + arcface fixed landmarks, "
                + "%d probes, %d samples per identity, least-squares, PNG dataset; each scale in a fresh JVM, -Xmx%s) ==%n",
                probes, samples, XMX);
        List<Run> runs = new ArrayList<>();
        for (int n : scales) {
            runs.add(child(probes, samples, n));
        }
        System.out.printf("  %10s %8s %8s %8s | %8s %8s %8s %8s | %9s %9s %9s %9s | %7s %12s %9s %9s %9s%n",
                "identities", "images", "wall s", "ids/min", "probe", "fit", "samples", "finish",
                "generate", "align+emb", "ground-tr", "write+oth", "fit ms/id", "samples ms/id", "heap MB", "live MB", "RSS MB");
        for (Run r : runs) {
            JsonNode s = r.seconds;
            JsonNode m = s.path("models");
            double stages = s.path("probe").asDouble() + s.path("fit").asDouble() + s.path("samples").asDouble() + s.path("finish").asDouble();
            double rest = stages - s.path("fit").asDouble() - m.path("generate").asDouble() - m.path("align_embed").asDouble()
                    - m.path("ground_truth").asDouble();
            System.out.printf("  %10d %8d %8.1f %8.1f | %8.2f %8.2f %8.2f %8.2f | %9.2f %9.2f %9.2f %9.2f | %7.2f %12.1f %9.0f %9.0f %9.0f%n",
                    r.identities, r.images, r.wall, r.identities / (r.wall / 60), s.path("probe").asDouble(), s.path("fit").asDouble(),
                    s.path("samples").asDouble(), s.path("finish").asDouble(), m.path("generate").asDouble(),
                    m.path("align_embed").asDouble(), m.path("ground_truth").asDouble(), rest,
                    1e3 * s.path("fit").asDouble() / r.identities, 1e3 * s.path("samples").asDouble() / r.identities,
                    r.peakHeapMb, r.liveMb, r.peakRssMb);
        }
        System.out.println("  (wall: the pipeline call in a warm process, excluding JVM start; generate / align+emb / ground-tr: time inside "
                + "the backbone / recogniser / the demo's ground-truth evaluation, summed over stages; write+oth: the rest of probe, "
                + "samples and finish, mostly PNG and .npy writing; heap: sum of the heap pools' peaks (-Xmx" + XMX + "); live: largest heap in use after a GC (young collections count old-generation garbage not yet collected: an upper bound of the live set); RSS: peak resident set, VmHWM)");
        Run small = runs.get(0);
        Run large = runs.get(runs.size() - 1);
        double perSmall = small.seconds.path("samples").asDouble() / small.identities;
        double perLarge = large.seconds.path("samples").asDouble() / large.identities;
        System.out.printf("  sample stage time per identity, %d vs %d identities: %.1f vs %.1f ms (ratio %.2f); "
                + "peak heap %.0f vs %.0f MB, largest heap after a GC %.0f vs %.0f MB, peak RSS %.0f vs %.0f MB; "
                + "heap after a full GC at the end %.0f vs %.0f MB%n", large.identities,
                small.identities, 1e3 * perLarge, 1e3 * perSmall, perLarge / perSmall, large.peakHeapMb, small.peakHeapMb,
                large.liveMb, small.liveMb, large.peakRssMb, small.peakRssMb, large.retainedMb, small.retainedMb);
        Bench.target("3 time per identity flat, " + large.identities + " vs " + small.identities + " identities (sample stage)",
                String.format("%.2f", perLarge / perSmall), "<= 1.25", perLarge / perSmall <= 1.25);
        Bench.target("3 peak RSS bounded, " + large.identities + " vs " + small.identities + " identities",
                String.format("%.0f vs %.0f MB (%.2fx)", large.peakRssMb, small.peakRssMb, large.peakRssMb / small.peakRssMb),
                "<= 1.5x", large.peakRssMb / small.peakRssMb <= 1.5);
        Bench.target("3 largest heap after a GC bounded, " + large.identities + " vs " + small.identities + " identities",
                String.format("%.0f vs %.0f MB (%.2fx)", large.liveMb, small.liveMb, large.liveMb / small.liveMb),
                "<= 1.5x", large.liveMb / small.liveMb <= 1.5);
        System.out.printf("  identities per minute at %d identities: %.1f%n", large.identities, large.identities / (large.wall / 60));
    }

    private static Run child(int probes, int samples, int identities) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx" + XMX, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), EndToEnd.class.getName(),
                String.valueOf(probes), String.valueOf(samples), String.valueOf(identities));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("end-to-end run of " + identities + " identities failed:\n" + out);
        }
        String line = out.lines().filter(l -> l.startsWith("E2E ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result line from the child:\n" + out));
        JsonNode j = ConfigLoader.MAPPER.readTree(line.substring(4));
        return new Run(identities, j.get("wall").asDouble(), j.get("seconds"), j.get("heap_mb").asDouble(),
                j.get("live_mb").asDouble(), j.get("rss_mb").asDouble(), j.get("images").asInt(), j.get("retained_mb").asDouble());
    }

    /** Child: args probes samples identities; prints one line "E2E {json}". */
    public static void main(String[] args) throws Exception {
        int probes = Integer.parseInt(args[0]);
        int samples = Integer.parseInt(args[1]);
        int identities = Integer.parseInt(args[2]);
        Path dir = Files.createTempDirectory("exfacegan-e2e");
        try {
            Path examples = Bench.root().resolve("examples");
            ObjectNode cfg = (ObjectNode) ConfigLoader.MAPPER.readTree(examples.resolve("quickstart.json").toFile());
            cfg.put("output", dir.resolve("run").toString());
            cfg.put("probes", probes);
            cfg.put("identities", identities);
            cfg.put("samples_per_identity", samples);
            cfg.remove("uniqueness"); // the same references at every scale: the first accepted probes
            for (String part : new String[] {"backbone", "recognizer"}) {
                ObjectNode c = (ObjectNode) cfg.get(part);
                c.put("model", examples.resolve(c.get("model").asText()).normalize().toString());
            }
            Path file = Files.writeString(dir.resolve("config.json"), ConfigLoader.toJson(cfg));
            AtomicLong liveMax = Bench.maxUsedAfterGc(false);
            PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // the plugins are on the class path
            ResolvedConfig rc = new ConfigLoader(registry).load(file);
            long t0 = System.nanoTime();
            RunSummary s = new Pipeline(rc, registry, Progress.QUIET).run();
            double wall = (System.nanoTime() - t0) / 1e9;
            JsonNode run = ConfigLoader.MAPPER.readTree(dir.resolve("run/run.json").toFile());
            double heap = Bench.peakHeap();
            ObjectNode o = ConfigLoader.MAPPER.createObjectNode();
            o.put("wall", wall);
            o.set("seconds", run.get("seconds_this_session"));
            o.put("heap_mb", heap / 1048576.0);
            o.put("live_mb", liveMax.get() / 1048576.0);
            System.gc(); // what the run left reachable (run objects are out of scope by now)
            o.put("retained_mb", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
            o.put("rss_mb", Bench.procKb("VmHWM") / 1024.0);
            o.put("images", s.images());
            System.out.println("E2E " + ConfigLoader.toJson(o).replace("\n", " "));
        } finally {
            RunFolder.deleteTree(dir);
        }
    }
}
