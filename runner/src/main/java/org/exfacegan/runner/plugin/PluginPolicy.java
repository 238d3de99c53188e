package org.exfacegan.runner.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.exfacegan.api.ExfaceganException;

/**
 * How far plugins are trusted. By default every plugin loads, and one that someone else could
 * have placed or replaced (owned by another user, writable by everyone, or in a folder everyone
 * may write to) loads with a loud warning. {@code strict} refuses such plugins; with an
 * allow-list of jar SHA-256s it loads exactly the listed jars, each from a private copy whose
 * hash was checked (nobody can swap the jar between the check and the loading).
 *
 * @param strict  refuse untrusted plugins (and, with an allow-list, every unlisted jar)
 * @param allowed lower-case hex SHA-256s of the jars allowed; empty: no allow-list
 */
public record PluginPolicy(boolean strict, Set<String> allowed) {
    public static final PluginPolicy DEFAULT = new PluginPolicy(false, Set.of());

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    public PluginPolicy {
        allowed = Set.copyOf(allowed);
        if (!allowed.isEmpty() && !strict) {
            throw new IllegalArgumentException("an allow-list needs strict mode");
        }
    }

    /**
     * The policy of the command line: {@code --strict-plugins}, and {@code --allow-sha256} values,
     * each a hash or a file of hashes (one a line, {@code sha256sum} output works: the first word
     * counts, '#' starts a comment). Any allow-list turns strict mode on.
     */
    public static PluginPolicy of(boolean strict, List<String> allow) {
        Set<String> hashes = new TreeSet<>();
        for (String a : allow) {
            if (HEX.matcher(a).matches()) {
                hashes.add(a.toLowerCase(Locale.ROOT));
                continue;
            }
            Path file = Path.of(a);
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ExfaceganException("--allow-sha256 " + a + ": neither a 64-digit hex SHA-256 nor a readable file ("
                        + e.getClass().getSimpleName() + ")");
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String word = line.split("\\s+")[0];
                if (!HEX.matcher(word).matches()) {
                    throw new ExfaceganException("--allow-sha256 " + file + ", line " + (i + 1) + ": expected a 64-digit hex SHA-256, got \""
                            + (word.length() > 70 ? word.substring(0, 70) + "..." : word) + "\"");
                }
                hashes.add(word.toLowerCase(Locale.ROOT));
            }
            if (hashes.isEmpty()) {
                throw new ExfaceganException("--allow-sha256 " + file + ": holds no SHA-256 (an empty allow-list would refuse every plugin)");
            }
        }
        return new PluginPolicy(strict || !hashes.isEmpty(), hashes);
    }
}
