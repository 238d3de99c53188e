package org.exfacegan.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.runner.cli.Cli;
import org.exfacegan.runner.io.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt and hostile plugin jars. Each case must end as a failed plugin with a clear reason (or
 * a loud warning where the default policy lets it in), leave the good plugin beside it loaded,
 * and allocate nothing near the sizes a hostile jar declares.
 */
class HostilePluginTest {
    @TempDir
    static Path shared;
    static Path goodJar;
    static int faults;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildGoodJar() throws IOException {
        goodJar = new PluginJarBuilder().backbone("p.good", "GoodProvider", "good-gan").write(shared.resolve("good.jar"));
    }

    @AfterAll
    static void report() {
        System.out.printf("hostile plugins: %d faults tried, each refused or flagged with the good plugin still loaded%n", faults);
    }

    private Path plugins(String name) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name));
        Files.copy(goodJar, p.resolve("good.jar"));
        return p;
    }

    /** Loads the folder; the good plugin must survive; returns the status of {@code jar}. */
    private static PluginStatus load(Path plugins, String jar, PluginPolicy policy) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        PluginRegistry r = PluginRegistry.load(plugins, policy);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64L << 20, "loading allocated " + allocated + " bytes");
        if (!jar.equals("good.jar")) {
            assertEquals("good-gan", r.require(ProviderKind.BACKBONE, "good-gan").name(), "a bad plugin hides no good one");
        }
        return r.statuses().stream().filter(s -> !s.source().isBuiltIn() && s.source().location().getFileName().toString().equals(jar))
                .findFirst().orElseThrow();
    }

    @Test
    void notAZipInAnyWay() throws IOException {
        byte[] valid = Files.readAllBytes(goodJar);
        List<byte[]> bad = List.of(new byte[0], "not a zip".getBytes(), java.util.Arrays.copyOf(valid, valid.length / 2),
                java.util.Arrays.copyOf(valid, valid.length - 10), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        for (int i = 0; i < bad.size(); i++) {
            Path p = plugins("n" + i);
            Files.write(p.resolve("bad.jar"), bad.get(i));
            String error = load(p, "bad.jar", PluginPolicy.DEFAULT).error();
            assertTrue(error != null && error.startsWith("corrupt jar: not a readable zip file"), i + ": " + error);
            faults++;
        }
    }

    @Test
    void zipBombEntryIsRefusedWithoutInflatingIt() throws IOException {
        Path p = plugins("bomb");
        new PluginJarBuilder().backbone("p.bomb", "Bomb", "bomb-gan").entry("model.bin", new byte[40 << 20])
                .write(p.resolve("bomb.jar"));
        String error = load(p, "bomb.jar", PluginPolicy.DEFAULT).error();
        assertTrue(error.matches("entry model\\.bin inflates \\d+-fold \\(\\d+ -> 41943040 bytes\\): a zip bomb\\?"), error);
        faults++;
    }

    @Test
    void hugeServiceFileIsRefused() throws IOException {
        Path p = plugins("svc");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("# padding line ").append(i).append('\n');
        }
        new PluginJarBuilder().entry("META-INF/services/org.exfacegan.api.backbone.BackboneProvider", lines.toString().getBytes())
                .write(p.resolve("svc.jar"));
        String error = load(p, "svc.jar", PluginPolicy.DEFAULT).error();
        assertTrue(error.startsWith("service file META-INF/services/org.exfacegan.api.backbone.BackboneProvider declares "),
                error);
        faults++;
    }

    @Test
    void providerNamesOfBuiltInsAreReservedInEveryKind() throws IOException {
        Path p = plugins("clash");
        new PluginJarBuilder().backbone("p.c1", "Same", "tiny-gan").write(p.resolve("same-kind.jar"));
        new PluginJarBuilder().backbone("p.c2", "Other", "onnxruntime").write(p.resolve("other-kind.jar"));
        PluginRegistry r = PluginRegistry.load(p);
        faults += 2;
        PluginStatus same = r.statuses().stream().filter(s -> s.source().toString().endsWith("same-kind.jar")).findFirst().orElseThrow();
        PluginStatus other = r.statuses().stream().filter(s -> s.source().toString().endsWith("other-kind.jar")).findFirst().orElseThrow();
        assertEquals("duplicate backbone \"tiny-gan\" in (built-in) and " + p.resolve("same-kind.jar"), same.error());
        assertEquals("backbone name \"onnxruntime\" is reserved: the built-in runtime is called so", other.error());
        assertTrue(r.require(ProviderKind.BACKBONE, "tiny-gan").source().isBuiltIn(), "the built-in keeps its name");
        assertTrue(r.require(ProviderKind.RUNTIME, "onnxruntime").source().isBuiltIn());
        assertEquals(List.of("entangled-gan", "good-gan", "test-gan", "tiny-gan"), r.names(ProviderKind.BACKBONE));
    }

    /** A runtime plugin whose name() says "aaa-rt" until a system property flips it to a built-in's name. */
    private static String turncoatRuntime() {
        return """
                package p.turn;
                public final class Turncoat implements org.exfacegan.api.runtime.ModelRuntimeProvider {
                    public String name() { return System.getProperty("turncoat.flip") == null ? "aaa-rt" : "onnxruntime"; }
                    public String version() { return "1"; }
                    public String apiVersion() { return org.exfacegan.api.ApiVersion.CURRENT; }
                    public String description() { return "a runtime that renames itself"; }
                    public java.util.Set<String> fileExtensions() { return java.util.Set.of(".onnx", ".pt"); }
                    public org.exfacegan.api.runtime.ModelSession open(java.nio.file.Path m, org.exfacegan.api.runtime.ModelOptions o) {
                        throw new IllegalStateException("the turncoat received " + m);
                    }
                }
                """;
    }

    @Test
    @Tag("djl") // .pt files go to the built-in djl-pytorch
    void aNameThatChangesLaterTakesOverNoBuiltInAndNoModel() throws IOException {
        Path p = plugins("turncoat");
        new PluginJarBuilder().source("p.turn.Turncoat", turncoatRuntime())
                .service("org.exfacegan.api.runtime.ModelRuntimeProvider", "p.turn.Turncoat").write(p.resolve("turncoat.jar"));
        PluginRegistry r = PluginRegistry.load(p);
        try {
            System.setProperty("turncoat.flip", "yes"); // from now on it calls itself onnxruntime
            LoadedProvider builtIn = r.require(ProviderKind.RUNTIME, "onnxruntime");
            assertTrue(builtIn.source().isBuiltIn());
            assertEquals("aaa-rt", r.require(ProviderKind.RUNTIME, "aaa-rt").name(), "its name was frozen when it was loaded");
            var host = (org.exfacegan.runtime.DefaultModelHost) org.exfacegan.runner.run.Pipeline.modelHost(r);
            assertTrue(host.select(Path.of("model.onnx"), "onnxruntime") == builtIn.provider(), "by name: the built-in");
            assertTrue(host.select(Path.of("model.onnx"), null) == builtIn.provider(), "by extension: the built-in's own type");
            assertTrue(host.select(Path.of("model.pt"), null) == r.require(ProviderKind.RUNTIME, "djl-pytorch").provider());
        } finally {
            System.clearProperty("turncoat.flip");
        }
        faults++;
    }

    @Test
    void errorsThrownByPluginCodeRefuseThatPluginOnly() throws IOException {
        Path p = plugins("errors");
        String[][] cases = {
            {"Recursive", "", "return name();", "backbone provider p.err.Recursive throws when asked for its name or versions: StackOverflowError"},
            {"Thrower", "throw new Error(\"boom\");", "return \"thrower-gan\";", "backbone provider p.err.Thrower failed to load: Error: boom"},
            {"Asserting", "", "throw new AssertionError(\"no name\");",
                "backbone provider p.err.Asserting throws when asked for its name or versions: AssertionError: no name"}};
        for (String[] c : cases) {
            String code = PluginJarBuilder.backboneSource("p.err", c[0], "x", org.exfacegan.api.ApiVersion.CURRENT, c[1], "\"d\"")
                    .replace("public String name() { return \"x\"; }", "public String name() { " + c[2] + " }");
            new PluginJarBuilder().source("p.err." + c[0], code).service("org.exfacegan.api.backbone.BackboneProvider", "p.err." + c[0])
                    .write(p.resolve(c[0] + ".jar"));
        }
        for (String[] c : cases) {
            assertEquals(c[3], load(p, c[0] + ".jar", PluginPolicy.DEFAULT).error());
            faults++;
        }
        String[] listed = cli("plugins", "--plugins", p.toString());
        assertTrue(listed[0].contains("ERROR: backbone provider p.err.Recursive throws") && listed[0].contains("good-gan"), listed[0]);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void pluginCodeThatNeverReturnsIsAbandonedAfterTheTimeout() throws IOException {
        Path p = plugins("hang");
        String block = "while (true) { try { Thread.sleep(60_000); } catch (InterruptedException e) { } }";
        new PluginJarBuilder().source("p.hang.Ctor", PluginJarBuilder.backboneSource("p.hang", "Ctor", "ctor-gan", org.exfacegan.api.ApiVersion.CURRENT, block, "\"d\""))
                .service("org.exfacegan.api.backbone.BackboneProvider", "p.hang.Ctor").write(p.resolve("ctor.jar"));
        String named = PluginJarBuilder.backboneSource("p.hang", "Name", "x", org.exfacegan.api.ApiVersion.CURRENT, "", "\"d\"")
                .replace("public String name() { return \"x\"; }", "public String name() { " + block + " }");
        new PluginJarBuilder().source("p.hang.Name", named).service("org.exfacegan.api.backbone.BackboneProvider", "p.hang.Name")
                .write(p.resolve("name.jar"));
        long t0 = System.nanoTime();
        PluginRegistry r = PluginRegistry.load(p, PluginPolicy.DEFAULT, java.time.Duration.ofSeconds(2));
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (String jar : List.of("ctor.jar", "name.jar")) {
            PluginStatus s = r.statuses().stream().filter(x -> x.source().toString().endsWith(jar)).findFirst().orElseThrow();
            assertEquals("did not finish loading within 2 s (a static initialiser, constructor or name() that never returns?); "
                    + "abandoned", s.error());
            faults++;
        }
        assertEquals("good-gan", r.require(ProviderKind.BACKBONE, "good-gan").name());
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void versionedNativeLibrariesAndShadedRuntimesAreRefused() throws IOException {
        Path p = plugins("bundles");
        byte[] x = {1, 2, 3};
        new PluginJarBuilder().backbone("p.n1", "N1", "n1-gan").entry("native/linux-x64/libfoo.so.1", x).write(p.resolve("so1.jar"));
        new PluginJarBuilder().backbone("p.n2", "N2", "n2-gan").entry("lib/libonnxruntime.so.1.29.0", x).write(p.resolve("so129.jar"));
        new PluginJarBuilder().backbone("p.n3", "N3", "n3-gan").entry("com/acme/shaded/ai/onnxruntime/OrtSession.class", x)
                .write(p.resolve("shaded.jar"));
        new PluginJarBuilder().backbone("p.n4", "N4", "n4-gan").entry("com/acme/ort/OrtEnvironment.class", x)
                .write(p.resolve("relocated.jar"));
        assertEquals("bundles a native library (native/linux-x64/libfoo.so.1); native runtimes live in the host only",
                load(p, "so1.jar", PluginPolicy.DEFAULT).error());
        assertEquals("bundles a native library (lib/libonnxruntime.so.1.29.0); native runtimes live in the host only",
                load(p, "so129.jar", PluginPolicy.DEFAULT).error());
        assertTrue(load(p, "shaded.jar", PluginPolicy.DEFAULT).error()
                .startsWith("bundles a model runtime (com/acme/shaded/ai/onnxruntime/OrtSession.class)"));
        assertTrue(load(p, "relocated.jar", PluginPolicy.DEFAULT).error().startsWith(
                "bundles a model runtime (com/acme/ort/OrtEnvironment.class, a class of the runtime under another package)"));
        faults += 4;
    }

    @Test
    void jarInAWorldWritableFolderWarnsAndStrictModeRefusesUnlessPinned() throws IOException {
        Path p = plugins("open");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        String why = "the plugins folder " + p + " is writable by every user";

        PluginStatus lax = load(p, "good.jar", PluginPolicy.DEFAULT);
        assertTrue(lax.ok(), lax.error());
        assertEquals("untrusted plugin: " + why + "; anyone able to write there can run code in this process "
                + "(--strict-plugins refuses such plugins, --allow-sha256 pins the jars you trust)", lax.warning());

        PluginStatus strict = load(p, "good.jar", PluginPolicy.of(true, List.of()));
        assertEquals("refused by --strict-plugins: " + why + " (check the jar and pass its SHA-256 with --allow-sha256 "
                + "to accept it)", strict.error());

        String sha = Sha256.of(goodJar);
        PluginRegistry pinned = PluginRegistry.load(p, PluginPolicy.of(true, List.of(sha)));
        LoadedProvider gp = pinned.require(ProviderKind.BACKBONE, "good-gan");
        assertEquals(sha, gp.source().sha256());
        String loadedFrom = ((java.net.URLClassLoader) gp.loader()).getURLs()[0].getPath();
        assertNotEquals(p.resolve("good.jar").toString(), loadedFrom, "a pinned jar loads from its checked private copy");

        PluginStatus unlisted = load(p, "good.jar", PluginPolicy.of(true, List.of("0".repeat(64))));
        assertEquals("refused by --strict-plugins: SHA-256 " + sha + " is not in the allow-list", unlisted.error());
        faults += 3; // warned, refused, refused as unlisted

        // the sticky bit (as on /tmp) stops others replacing this user's jars: trusted again
        Assumptions.assumeTrue(sh("chmod", "1777", p.toString()) == 0);
        assertNull(load(p, "good.jar", PluginPolicy.DEFAULT).warning());
    }

    @Test
    void jarPlacedByAnotherUserWarnsAndStrictModeRefuses() throws IOException {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to hand a file to another user");
        Path p = plugins("theirs");
        Path jar = new PluginJarBuilder().backbone("p.theirs", "Theirs", "theirs-gan").write(p.resolve("theirs.jar"));
        Files.setAttribute(jar, "unix:uid", 65534);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        PluginStatus lax = load(p, "theirs.jar", PluginPolicy.DEFAULT);
        assertTrue(lax.ok() && lax.warning().startsWith("untrusted plugin: theirs.jar was placed by user '")
                && lax.warning().contains("theirs.jar is writable by every user"), lax.warning());
        PluginStatus strict = load(p, "theirs.jar", PluginPolicy.of(true, List.of()));
        assertTrue(strict.error().startsWith("refused by --strict-plugins: theirs.jar was placed by user '"), strict.error());
        faults += 2;
    }

    @Test
    void commandLineWiresStrictModeAndTheAllowList() throws IOException {
        Path p = plugins("cli");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        String[] lax = cli("plugins", "--plugins", p.toString());
        assertTrue(lax[1].startsWith("WARNING: " + p.resolve("good.jar") + ": untrusted plugin: "), lax[1]);
        assertTrue(lax[0].lines().anyMatch(l -> l.startsWith("good-gan") && l.endsWith("OK, UNTRUSTED (see the warning)")), lax[0]);

        String[] strict = cli("--strict-plugins", "plugins", "--plugins", p.toString());
        assertTrue(strict[0].contains("ERROR: refused by --strict-plugins: the plugins folder"), strict[0]);

        Path allow = Files.writeString(dir.resolve("allowed.sha256"), "# plugins we checked\n" + Sha256.of(goodJar) + "  good.jar\n");
        String[] pinned = cli("plugins", "--plugins", p.toString(), "--allow-sha256", allow.toString());
        assertTrue(pinned[0].lines().anyMatch(l -> l.startsWith("good-gan") && l.endsWith(" OK")), pinned[0]);
        assertEquals("", pinned[1]);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Cli.BAD_INPUT, Cli.execute(new PrintWriter(out), new PrintWriter(err), "plugins", "--allow-sha256", "abc"));
        assertTrue(err.toString().startsWith("--allow-sha256 abc: neither a 64-digit hex SHA-256 nor a readable file"), err.toString());
        faults += 3; // warned, refused, bad allow-list value
    }

    private static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(Cli.OK, Cli.execute(new PrintWriter(out), new PrintWriter(err), args), err.toString());
        return new String[] {out.toString(), err.toString()};
    }

    private static int sh(String... cmd) {
        try {
            Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return pr.waitFor(10, TimeUnit.SECONDS) ? pr.exitValue() : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
