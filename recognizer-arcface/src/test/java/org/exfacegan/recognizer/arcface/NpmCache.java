package org.exfacegan.recognizer.arcface;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * Test-time downloads of npm packages with {@code npm pack}, kept in a cache outside the repository
 * ({@code $EXFACEGAN_CACHE/npm}, default {@code ~/.cache/exfacegan/npm}); never committed.
 */
final class NpmCache {
    private NpmCache() {}

    static Path root() {
        String env = System.getenv("EXFACEGAN_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "exfacegan");
        return base.resolve("npm");
    }

    /**
     * The package tarball {@code name@version} (npm pack's file name), packed into the cache when
     * missing. Skips the calling test (assumption) only when the npm registry cannot be reached.
     */
    static Path tarball(String name, String version) {
        Path dir = root();
        Path tgz = dir.resolve(name.replace("@", "").replace('/', '-') + "-" + version + ".tgz");
        if (Files.isRegularFile(tgz)) {
            return tgz;
        }
        String registry = registry();
        Assumptions.assumeTrue(reachable(registry), "npm registry " + registry + " cannot be reached: skipping the"
                + " real-model test (it needs " + name + "@" + version + ", cached in " + dir + ")");
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("npm", "pack", name + "@" + version).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(tgz)) {
                throw new IllegalStateException("npm pack " + name + "@" + version + " in " + dir + " failed:\n" + log);
            }
            return tgz;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run npm pack (is npm installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The registry npm itself would use (its config, including .npmrc and npm_config_registry). */
    private static String registry() {
        try {
            Process p = new ProcessBuilder("npm", "config", "get", "registry").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && out.startsWith("http")) {
                return out;
            }
        } catch (IOException e) {
            // npm missing: npm pack reports it below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "https://registry.npmjs.org/";
    }

    private static boolean reachable(String registry) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(registry)).timeout(Duration.ofSeconds(20))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() < 500;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Extracts the entries named by the keys (paths inside the tarball, e.g. "package/model/x.onnx")
     * to the files named by the values, unless they exist already.
     */
    static void extract(Path tgz, Map<String, Path> entries) {
        if (entries.values().stream().allMatch(Files::isRegularFile)) {
            return;
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                Path target = entries.get(name);
                if (target != null) {
                    Files.createDirectories(target.toAbsolutePath().getParent());
                    Path tmp = target.resolveSibling(target.getFileName() + ".part");
                    try (var out = Files.newOutputStream(tmp)) {
                        out.write(in.readNBytes((int) size));
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + tgz, e);
        }
        for (var e : entries.entrySet()) {
            if (!Files.isRegularFile(e.getValue())) {
                throw new IllegalStateException(tgz + " has no entry " + e.getKey());
            }
        }
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.US_ASCII);
    }
}
