package org.exfacegan.runner.verification;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;

/**
 * An LFW-style benchmark: a {@code pairs.txt} beside one folder per person. After an optional
 * header ({@code "10 300"}: 10 sets of 300 same and 300 different pairs, or one count n: n of
 * each), each line is a pair, fields separated by tabs or spaces: {@code name i j} (same person,
 * images i and j) or {@code name1 i name2 j} (different people). Image i of {@code name} is
 * {@code name/name_000i.jpg} (or {@code .jpeg}, {@code .png}) in the folder of {@code pairs.txt}.
 */
public final class LfwPairs {
    public static final String FILE_NAME = "pairs.txt";
    private static final String[] EXTENSIONS = {".jpg", ".jpeg", ".png"};
    /** Longest pairs file read (LFW's is 160 KB). */
    static final long MAX_BYTES = 64L << 20;

    private LfwPairs() {}

    /**
     * @param pairs   the pairs file
     * @param aligned true when the images are crops the recogniser embeds as they are
     */
    public static Benchmark read(Path pairs, boolean aligned) {
        Path dir = pairs.toAbsolutePath().normalize().getParent();
        List<String> lines = lines(pairs);
        int at = 0;
        while (at < lines.size() && lines.get(at).isBlank()) {
            at++;
        }
        long expected = -1;
        String[] head = at < lines.size() ? fields(lines.get(at)) : new String[0];
        if ((head.length == 1 || head.length == 2) && allDigits(head)) {
            expected = head.length == 1 ? 2 * number(pairs, at, head[0]) : 2 * number(pairs, at, head[0]) * number(pairs, at, head[1]);
            at++;
        }
        Map<Path, Integer> index = new LinkedHashMap<>();
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        List<Boolean> same = new ArrayList<>();
        for (int i = at; i < lines.size(); i++) {
            String[] f = fields(lines.get(i));
            if (f.length == 0) {
                continue;
            }
            if (f.length != 3 && f.length != 4) {
                throw error(pairs, i, "has " + f.length + " fields; a pair is \"name i j\" (same person) or "
                        + "\"name1 i name2 j\" (different people)");
            }
            boolean s = f.length == 3;
            Path a = image(pairs, i, dir, f[0], f[1]);
            Path b = s ? image(pairs, i, dir, f[0], f[2]) : image(pairs, i, dir, f[2], f[3]);
            first.add(index.computeIfAbsent(a, p -> index.size()));
            second.add(index.computeIfAbsent(b, p -> index.size()));
            same.add(s);
        }
        if (same.isEmpty()) {
            throw new ExfaceganException("benchmark " + pairs + " lists no pairs");
        }
        if (expected >= 0 && expected != same.size()) {
            throw new ExfaceganException("benchmark " + pairs + ": its header promises " + expected + " pairs but it lists "
                    + same.size() + " (a truncated file?)");
        }
        List<Benchmark.Image> images = new ArrayList<>();
        index.keySet().forEach(p -> images.add(new Benchmark.File(p)));
        boolean[] labels = new boolean[same.size()];
        for (int k = 0; k < labels.length; k++) {
            labels[k] = same.get(k);
        }
        return new Benchmark(name(pairs), pairs, aligned, images,
                first.stream().mapToInt(Integer::intValue).toArray(), second.stream().mapToInt(Integer::intValue).toArray(),
                labels);
    }

    /** The benchmark name of a pairs list: the name of its folder ("lfw"). */
    static String name(Path pairs) {
        Path dir = pairs.toAbsolutePath().normalize().getParent();
        return dir == null || dir.getFileName() == null ? "pairs" : dir.getFileName().toString();
    }

    private static List<String> lines(Path pairs) {
        try {
            if (Files.size(pairs) > MAX_BYTES) {
                throw new ExfaceganException("benchmark " + pairs + " is " + (Files.size(pairs) >> 20)
                        + " MB, more than a pairs list takes (" + (MAX_BYTES >> 20) + " MB)");
            }
            List<String> out = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(pairs, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.add(line);
                }
            }
            return out;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ExfaceganException("benchmark " + pairs + " is not UTF-8 text (a pairs list)", e);
        } catch (IOException e) {
            throw new ExfaceganException("cannot read benchmark " + pairs + ": " + e.getMessage(), e);
        }
    }

    private static String[] fields(String line) {
        String t = line.strip();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    private static boolean allDigits(String[] f) {
        for (String s : f) {
            if (!s.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    private static long number(Path pairs, int line, String text) {
        try {
            long n = Long.parseLong(text);
            if (n >= 1 && n <= InsightfaceBin.MAX_IMAGES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(pairs, line, "\"" + text + "\" is not an image number or count from 1 to " + InsightfaceBin.MAX_IMAGES);
    }

    /** The file of image {@code number} of {@code name}: the first extension that exists. */
    private static Path image(Path pairs, int line, Path dir, String name, String number) {
        if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            throw error(pairs, line, "\"" + name + "\" is not a person's folder name");
        }
        long n = number(pairs, line, number);
        String stem = String.format(java.util.Locale.ROOT, "%s_%04d", name, n);
        for (String ext : EXTENSIONS) {
            Path p = dir.resolve(name).resolve(stem + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw error(pairs, line, "image " + dir.resolve(name).resolve(stem + ".jpg") + " not found (nor .jpeg, .png)");
    }

    private static ExfaceganException error(Path pairs, int line, String message) {
        return new ExfaceganException("benchmark " + pairs + ", line " + (line + 1) + ": " + message);
    }
}
