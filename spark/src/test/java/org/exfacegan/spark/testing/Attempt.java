package org.exfacegan.spark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one task attempt did with one unit, as the toy job records it beside (not in) the store:
 * which attempt, in which process, on which device, with what outcome. Tests read these records
 * to see where Spark ran and retried what.
 *
 * @param event start, PUBLISHED, ALREADY_PUBLISHED or skipped (marked before the task began: resume)
 */
public record Attempt(int unit, int attemptNumber, long pid, String executor, String device, String event) {

    void record(Path dir) {
        String line = unit + " " + attemptNumber + " " + pid + " " + executor + " " + device + " " + event;
        String name = String.format("u%05d-a%d-p%d-%s", unit, attemptNumber, pid, event);
        try {
            Files.createDirectories(dir);
            // written aside, then renamed: a test polling the folder never reads a half-written record
            Path aside = Files.writeString(dir.resolve("." + name + ".tmp"), line, StandardCharsets.UTF_8);
            Files.move(aside, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Attempt> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().map(p -> {
                try {
                    String[] f = Files.readString(p, StandardCharsets.UTF_8).split(" ");
                    return new Attempt(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3], f[4], f[5]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
