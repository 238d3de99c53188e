package org.exfacegan.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.dataset.Png;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.render.ImageGrid;
import org.exfacegan.runner.render.IndexRanges;
import org.exfacegan.runner.render.LatentFile;
import org.exfacegan.runner.render.Renderer;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** Full-resolution images of a config's backbone, and a grid of them: a look at an exported generator. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Render images with the backbone of a config (only its backbone section is read; the recognizer "
                + "is not loaded): full-resolution PNGs and grid.png.",
            "--seeds renders probes as a run of the config would draw them (image s = probe s); --latents renders "
                + "the rows of a .npy file."})
final class RenderCommand extends Subcommand {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "an experiment config (its backbone is used) or a file "
            + "holding just a backbone section")
    Path config;

    @Option(names = "--seeds", paramLabel = "LIST", converter = RangesConverter.class,
            description = "probe indices, e.g. 0-15 or 1,4,8-10: image s is probe s of a run with the config's seed")
    Indices seedList;

    @Option(names = "--seed", paramLabel = "S", description = "with --seeds: the run seed whose probes are drawn "
            + "(default: the config's seed; 0 for a file holding just a backbone section)")
    Long seed;

    @Option(names = "--latents", paramLabel = "FILE.npy", description = "latents to render, one row per image (float32 or float64)")
    Path latents;

    @Option(names = "--space", paramLabel = "SPACE", converter = SpaceConverter.class,
            description = {"with --latents (required): what the rows are. z: mapping input; w: mapping output before "
                    + "truncation (a run's probe/w.npy), truncated as the config says; w+: synthesis input [n, num_ws, w_dim] "
                    + "(e.g. a projector's output), not truncated; fit: a run's fit-space latents (latents.npy, "
                    + "probe/latents.npy), rendered as the run renders them"})
    LatentFile.Space space;

    @Option(names = "--rows", paramLabel = "LIST", converter = RangesConverter.class,
            description = "with --latents: the rows to render, e.g. 0-15 (default: all)")
    Indices rowList;

    private long[] seeds;
    private long[] rows;

    @Option(names = "--truncation-psi", paramLabel = "PSI",
            description = "replaces the backbone's truncation_psi option (1: no truncation)")
    Double truncationPsi;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "output folder (created; files of the same names are replaced)")
    Path out;

    @Override
    public Integer call() {
        seeds = seedList == null ? null : seedList.values();
        rows = rowList == null ? null : rowList.values();
        checkUsage();
        PluginRegistry registry = global().loadPlugins();
        JsonNode root = ConfigLoader.readObject(config);
        noteIgnored(root);
        Map<String, JsonNode> overrides = truncationPsi == null ? Map.of()
                : Map.of("truncation_psi", DoubleNode.valueOf(truncationPsi));
        ResolvedComponent bc = new ConfigLoader(registry).loadBackbone(config, overrides, "--truncation-psi");
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException("--out: " + out + " is a file, not a folder");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ExfaceganException("cannot create output folder " + out + ": " + RunFolder.describe(e), e);
        }
        long runSeed = seed != null ? seed : seedOf(root);
        try (Backbone backbone = Pipeline.openBackbone(bc, Pipeline.modelHost(registry))) {
            Renderer renderer = new Renderer(backbone);
            LatentFile file = latents == null ? null : LatentFile.read(latents, space, backbone.layout(), bc.provider().name());
            long[] which = seeds != null ? seeds : rows != null ? rows : all(file);
            if (file != null) {
                file.checkRows(which);
            }
            String prefix = seeds != null ? "seed" : "latent";
            int size = backbone.layout().resolution();
            ImageGrid grid = new ImageGrid(which.length, size, size);
            int chunk = Math.max(1, bc.options().batchSize());
            Progress progress = global().progress();
            try (Progress.Stage bar = progress.stage("render", which.length, 0, "images")) {
                for (int from = 0; from < which.length; from += chunk) {
                    long[] part = Arrays.copyOfRange(which, from, Math.min(which.length, from + chunk));
                    ImageBatch images = file == null ? renderer.probes(Pipeline.probeStream(runSeed), part)
                            : renderer.latents(file, part);
                    for (int k = 0; k < part.length; k++) {
                        write(String.format(Locale.ROOT, "%s%04d.png", prefix, part[k]), Png.encode(images, k));
                        grid.add(images, k);
                    }
                    bar.step(part.length);
                }
            }
            write("grid.png", grid.png());
            String source = file == null ? "probes " + describe(which) + " of seed " + runSeed
                    : "rows " + describe(which) + " of " + file.file() + " (" + file.space().label() + ")";
            out().printf(Locale.ROOT, "rendered %d images of %dx%d (%s, %s) to %s%n", which.length, size, size,
                    bc.provider().name(), source, out);
            out().printf(Locale.ROOT, "  grid: %s (%s)%n", out.resolve("grid.png"), grid.cells() < which.length
                    ? "the first " + grid.cells() + " images" : grid.cells() + " images");
        }
        return Cli.OK;
    }

    private void checkUsage() {
        if ((seeds == null) == (latents == null)) {
            throw new ParameterException(spec.commandLine(), "give either --seeds LIST or --latents FILE.npy");
        }
        if (latents != null && space == null) {
            throw new ParameterException(spec.commandLine(), "--latents needs --space z|w|w+|fit: z and w often have the "
                    + "same shape, so the file cannot tell");
        }
        if (latents == null && (space != null || rows != null)) {
            throw new ParameterException(spec.commandLine(), (space != null ? "--space" : "--rows") + " applies to --latents only");
        }
        if (seeds == null && seed != null) {
            throw new ParameterException(spec.commandLine(), "--seed applies to --seeds only");
        }
        if (space == LatentFile.Space.W_PLUS && truncationPsi != null) {
            throw new ParameterException(spec.commandLine(), "--truncation-psi does not apply to --space w+ (the synthesis "
                    + "input is rendered as it is)");
        }
    }

    /** An experiment config holds more than render reads: say what is left out. */
    private void noteIgnored(JsonNode root) {
        if (!root.has("backbone")) {
            return;
        }
        List<String> ignored = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!f.equals("backbone") && !(f.equals("seed") && seeds != null && seed == null)) {
                ignored.add(f);
            }
        });
        if (!ignored.isEmpty()) {
            err().println("note: render reads only the backbone section" + (seeds != null && seed == null ? " and seed" : "")
                    + " of " + config + "; ignored: " + String.join(", ", ignored));
        }
    }

    private long seedOf(JsonNode root) {
        JsonNode s = root.get("seed");
        if (s == null || !root.has("backbone")) {
            return 0;
        }
        if (!s.isIntegralNumber() || !s.canConvertToLong()) {
            throw new ConfigException("config " + config + ": /seed: wrong type: expected an integer");
        }
        return s.asLong();
    }

    private long[] all(LatentFile file) {
        if (file.rows() == 0) {
            throw new ConfigException("latents " + file.file() + " hold no rows");
        }
        if (file.rows() > IndexRanges.MAX) {
            throw new ConfigException("latents " + file.file() + " hold " + file.rows() + " rows; choose at most "
                    + IndexRanges.MAX + " with --rows");
        }
        return LongStream.range(0, file.rows()).toArray();
    }

    /** Writes a file of the output folder whole (temporary file, then rename). */
    private void write(String name, byte[] content) {
        Path target = out.resolve(name);
        Path tmp = out.resolve("." + name + ".tmp");
        try {
            Files.write(tmp, content);
            RunFolder.moveAtomically(tmp, target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // left for the user; named like every other temporary file
            }
            throw new ExfaceganException("cannot write " + target + ": " + RunFolder.describe(e), e);
        }
    }

    private static String describe(long[] which) {
        if (which.length == 0) {
            return "none";
        }
        for (int i = 1; i < which.length; i++) {
            if (which[i] != which[0] + i) {
                return which.length + " chosen";
            }
        }
        return which.length == 1 ? Long.toString(which[0]) : which[0] + "-" + which[which.length - 1];
    }

    /** A parsed index list (one option value, not one value per index). */
    record Indices(long[] values) {}

    /** "0-15", "1,4,8-10". */
    static final class RangesConverter implements ITypeConverter<Indices> {
        @Override
        public Indices convert(String value) {
            try {
                return new Indices(IndexRanges.parse(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class SpaceConverter implements ITypeConverter<LatentFile.Space> {
        @Override
        public LatentFile.Space convert(String value) {
            try {
                return LatentFile.Space.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
