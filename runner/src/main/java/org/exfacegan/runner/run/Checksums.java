package org.exfacegan.runner.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.exfacegan.runner.io.Sha256;

/**
 * SHA-256 sums of a run's files, recorded when a unit of work (a probe chunk, the probe set, the
 * boundaries, an identity, the dataset index) is published, in {@code sha256sum} format (paths
 * relative to the run folder), so {@code sha256sum -c} reads them too. A resumed run and
 * {@code exfacegan check} compare the files against them: a file missing or changed since is found,
 * and its unit is written again.
 */
final class Checksums {
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  (\\S(?:.*\\S)?)");

    private final Map<String, String> sums = new LinkedHashMap<>();

    /** The first problems and how many more: for one-line messages. */
    static String summarise(List<String> problems) {
        int shown = Math.min(3, problems.size());
        return String.join("; ", problems.subList(0, shown)) + (problems.size() > shown ? " and " + (problems.size() - shown) + " more" : "");
    }

    /** Records the SHA-256 of content about to be written at {@code relative}. */
    Checksums add(String relative, byte[] content) {
        sums.put(relative, Sha256.of(content));
        return this;
    }

    /** Writes {@code content} atomically at {@code relative} and records its SHA-256. */
    Checksums write(RunFolder folder, String relative, byte[] content) {
        folder.writeAtomically(relative, content);
        return add(relative, content);
    }

    /** Records the SHA-256 of a written file that will be found at {@code relative}. */
    Checksums addFile(String relative, Path file) throws IOException {
        sums.put(relative, Sha256.of(file));
        return this;
    }

    byte[] toBytes() {
        StringBuilder b = new StringBuilder();
        sums.forEach((path, sha) -> b.append(sha).append("  ").append(path).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What is wrong with the files listed in the sums file {@code sumsFile} (empty when every one is
     * present with its recorded SHA-256). A missing, empty or unreadable sums file is itself the problem.
     */
    static List<String> verify(RunFolder folder, String sumsFile) {
        Map<String, String> recorded = read(folder, sumsFile);
        if (recorded == null) {
            return List.of(sumsFile + " (its checksums) is missing or unreadable");
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            Path file;
            try {
                file = folder.resolve(e.getKey());
            } catch (RuntimeException outside) { // a sums line naming a path outside the folder: damaged
                problems.add(sumsFile + " is damaged (names " + e.getKey() + ")");
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(e.getKey() + " is missing");
                continue;
            }
            try {
                if (!Sha256.of(file).equals(e.getValue())) {
                    problems.add(e.getKey() + " is damaged (its SHA-256 differs from the one recorded when it was written)");
                }
            } catch (IOException ex) {
                problems.add(e.getKey() + " cannot be read (" + RunFolder.describe(ex) + ")");
            }
        }
        return problems;
    }

    /** The recorded sums, or null when the file is missing, empty or malformed. */
    static Map<String, String> read(RunFolder folder, String sumsFile) {
        Path p = folder.resolve(sumsFile);
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > (64 << 20)) {
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : Files.readString(p, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    return null;
                }
                out.put(m.group(2), m.group(1));
            }
            return out.isEmpty() ? null : out;
        } catch (IOException | RuntimeException e) { // unreadable, or not UTF-8: damaged
            return null;
        }
    }
}
