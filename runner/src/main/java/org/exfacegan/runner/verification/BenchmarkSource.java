package org.exfacegan.runner.verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.exfacegan.runner.config.ConfigException;

/**
 * Where a benchmark is, found but not yet read (a folder of insightface .bin files is read one
 * at a time, so only one is in memory).
 *
 * @param name  the benchmark's name in tables
 * @param file  the {@code .bin} or {@code pairs.txt}
 * @param isBin true for an insightface {@code .bin}
 */
public record BenchmarkSource(String name, Path file, boolean isBin) {

    /**
     * Reads it. A {@code .bin} always holds aligned crops; a pairs list's images are aligned crops
     * when {@code alignedPairs} is set, else whole photos the recogniser aligns.
     */
    public Benchmark load(boolean alignedPairs) {
        return isBin ? InsightfaceBin.read(file) : LfwPairs.read(file, alignedPairs);
    }

    /**
     * The benchmarks at {@code path}: an insightface {@code .bin}; a pairs list ({@code pairs.txt},
     * or a folder holding one); or a folder of benchmarks (its {@code .bin} files and its
     * sub-folders holding a {@code pairs.txt}, by name).
     *
     * @throws ConfigException when the path holds none
     */
    public static List<BenchmarkSource> find(Path path) {
        if (Files.isRegularFile(path)) {
            String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".bin")) {
                return List.of(bin(path));
            }
            if (n.endsWith(".txt")) {
                return List.of(pairs(path));
            }
            throw new ConfigException("benchmark " + path + " is neither an insightface .bin nor a pairs list (.txt)");
        }
        if (!Files.isDirectory(path)) {
            throw new ConfigException("benchmark " + path + " not found");
        }
        if (Files.isRegularFile(path.resolve(LfwPairs.FILE_NAME))) {
            return List.of(pairs(path.resolve(LfwPairs.FILE_NAME)));
        }
        List<BenchmarkSource> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(path)) {
            for (Path c : children.sorted().toList()) {
                if (Files.isRegularFile(c) && c.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bin")) {
                    out.add(bin(c));
                } else if (Files.isRegularFile(c.resolve(LfwPairs.FILE_NAME))) {
                    out.add(pairs(c.resolve(LfwPairs.FILE_NAME)));
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot list benchmark folder " + path + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ConfigException("benchmark folder " + path + " holds no benchmark (insightface .bin files, or "
                    + "folders with a " + LfwPairs.FILE_NAME + ")");
        }
        return out;
    }

    /** All benchmarks at these paths, in order; two with one name are refused (they would share a column). */
    public static List<BenchmarkSource> find(List<Path> paths) {
        List<BenchmarkSource> out = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path p : paths) {
            for (BenchmarkSource s : find(p)) {
                Path other = seen.putIfAbsent(s.name(), s.file());
                if (other != null) {
                    throw new ConfigException("two benchmarks are named \"" + s.name() + "\": " + other + " and " + s.file());
                }
                out.add(s);
            }
        }
        return out;
    }

    private static BenchmarkSource bin(Path file) {
        return new BenchmarkSource(InsightfaceBin.name(file), file, true);
    }

    private static BenchmarkSource pairs(Path file) {
        return new BenchmarkSource(LfwPairs.name(file), file, false);
    }
}
