package org.exfacegan.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
    @TempDir
    Path dir;

    private PluginStatus statusOf(PluginRegistry registry, String fileName) {
        return registry.statuses().stream()
                .filter(s -> !s.source().isBuiltIn() && s.source().location().getFileName().toString().equals(fileName))
                .findFirst().orElseThrow();
    }

    @Test
    void goodPluginLoadsWithNameVersionAndHash() throws IOException {
        Path jar = new PluginJarBuilder().backbone("p.good", "GoodProvider", "good-gan").write(dir.resolve("good.jar"));
        PluginRegistry registry = PluginRegistry.load(dir);
        PluginStatus s = statusOf(registry, "good.jar");
        assertTrue(s.ok(), s.error());
        LoadedProvider p = registry.require(ProviderKind.BACKBONE, "good-gan");
        assertEquals("9.9", p.provider().version());
        assertEquals(ApiVersion.CURRENT, p.provider().apiVersion());
        assertEquals(org.exfacegan.runner.io.Sha256.of(jar), p.source().sha256());
        assertEquals(64, p.source().sha256().length());
        // each plugin has its own loader, not the host's
        assertTrue(p.provider().getClass().getClassLoader() != PluginLoader.class.getClassLoader());
    }

    @Test
    void corruptJarIsReportedAndDoesNotHideGoodPlugins() throws IOException {
        Files.write(dir.resolve("broken.jar"), "this is not a zip file".getBytes());
        new PluginJarBuilder().backbone("p.good", "GoodProvider", "good-gan").write(dir.resolve("good.jar"));
        PluginRegistry registry = PluginRegistry.load(dir);
        PluginStatus broken = statusOf(registry, "broken.jar");
        assertTrue(broken.error().startsWith("corrupt jar: not a readable zip file"), broken.error());
        assertNotNull(registry.require(ProviderKind.BACKBONE, "good-gan"));
    }

    @Test
    void duplicateNamesRefuseBothJarsNamingThem() throws IOException {
        new PluginJarBuilder().backbone("p.a", "A", "same-gan").write(dir.resolve("a.jar"));
        new PluginJarBuilder().backbone("p.b", "B", "same-gan").write(dir.resolve("b.jar"));
        PluginRegistry registry = PluginRegistry.load(dir);
        String expected = "duplicate backbone \"same-gan\" in " + dir.resolve("a.jar") + " and " + dir.resolve("b.jar");
        assertEquals(expected, statusOf(registry, "a.jar").error());
        assertEquals(expected, statusOf(registry, "b.jar").error());
        ExfaceganException e = assertThrows(ExfaceganException.class, () -> registry.require(ProviderKind.BACKBONE, "same-gan"));
        assertTrue(e.getMessage().startsWith("unknown backbone \"same-gan\"; available:"), e.getMessage());
    }

    @Test
    void apiMajorVersionMismatchIsRefused() throws IOException {
        // a plugin built before the last major change (as every plugin of API 1 is since API 2), and one built for a newer minor
        String old = (ApiVersion.MAJOR - 1) + ".0";
        String newer = ApiVersion.MAJOR + "." + (ApiVersion.MINOR + 7);
        new PluginJarBuilder().backbone("p.old", "Old", "old-gan", old).write(dir.resolve("old.jar"));
        new PluginJarBuilder().backbone("p.newer", "New", "new-gan", newer).write(dir.resolve("new.jar"));
        PluginRegistry registry = PluginRegistry.load(dir);
        assertEquals("backbone provider p.old.Old: \"old-gan\" is built for API " + old + " but this host provides API "
                + ApiVersion.CURRENT + " (major version differs)", statusOf(registry, "old.jar").error());
        assertEquals("backbone provider p.newer.New: \"new-gan\" is built for API " + newer + " but this host provides only API "
                + ApiVersion.CURRENT, statusOf(registry, "new.jar").error());
    }

    @Test
    void pluginBundlingApiClassesIsRefused() throws IOException {
        new PluginJarBuilder().backbone("p.fat", "Fat", "fat-gan")
                .entry("org/exfacegan/api/Provider.class", new byte[] {1, 2, 3})
                .write(dir.resolve("fat.jar"));
        PluginStatus s = statusOf(PluginRegistry.load(dir), "fat.jar");
        assertEquals("bundles the exfacegan api classes (org/exfacegan/api/Provider.class); depend on exfacegan-api "
                + "with <scope>provided</scope> so the host's api is used", s.error());
    }

    @Test
    void pluginBundlingANativeRuntimeIsRefused() throws IOException {
        new PluginJarBuilder().backbone("p.ort", "Ort", "ort-gan")
                .entry("ai/onnxruntime/OrtSession.class", new byte[] {0})
                .write(dir.resolve("ort.jar"));
        new PluginJarBuilder().backbone("p.so", "So", "so-gan")
                .entry("native/libtorch.so", new byte[] {0})
                .write(dir.resolve("so.jar"));
        PluginRegistry registry = PluginRegistry.load(dir);
        assertTrue(statusOf(registry, "ort.jar").error().startsWith("bundles a model runtime (ai/onnxruntime/OrtSession.class)"));
        assertTrue(statusOf(registry, "so.jar").error().startsWith("bundles a native library (native/libtorch.so)"));
    }

    @Test
    void providerThrowingInItsConstructorIsReported() throws IOException {
        new PluginJarBuilder()
                .source("p.bad.Bad", PluginJarBuilder.backboneSource("p.bad", "Bad", "bad-gan", ApiVersion.CURRENT,
                        "throw new IllegalStateException(\"no licence file\");", "\"x\""))
                .service("org.exfacegan.api.backbone.BackboneProvider", "p.bad.Bad")
                .write(dir.resolve("bad.jar"));
        PluginStatus s = statusOf(PluginRegistry.load(dir), "bad.jar");
        assertEquals("backbone provider p.bad.Bad failed to load: IllegalStateException: no licence file", s.error());
    }

    @Test
    void providerThrowingInStaticInitialiserIsReported() throws IOException {
        String src = PluginJarBuilder.backboneSource("p.st", "St", "st-gan", ApiVersion.CURRENT, "", "\"x\"")
                .replace("private String info = \"\";", "private String info = \"\"; static { if (true) throw new RuntimeException(\"static boom\"); }");
        new PluginJarBuilder().source("p.st.St", src)
                .service("org.exfacegan.api.backbone.BackboneProvider", "p.st.St")
                .write(dir.resolve("st.jar"));
        PluginStatus s = statusOf(PluginRegistry.load(dir), "st.jar");
        assertTrue(s.error().contains("static boom"), s.error());
    }

    @Test
    void jarWithoutProviderIsReported() throws IOException {
        new PluginJarBuilder().entry("readme.txt", "hello".getBytes()).write(dir.resolve("empty.jar"));
        PluginStatus s = statusOf(PluginRegistry.load(dir), "empty.jar");
        assertTrue(s.error().startsWith("no exfacegan provider registered: expected a file "
                + "META-INF/services/org.exfacegan.api.backbone.BackboneProvider"), s.error());
    }

    @Test
    void serviceFileNamingAMissingClassIsReported() throws IOException {
        new PluginJarBuilder().service("org.exfacegan.api.backbone.BackboneProvider", "p.Missing").write(dir.resolve("missing.jar"));
        PluginStatus s = statusOf(PluginRegistry.load(dir), "missing.jar");
        assertTrue(s.error().contains("p.Missing"), s.error());
    }

    @Test
    void invalidProviderNameIsRefused() throws IOException {
        new PluginJarBuilder().backbone("p.up", "Up", "Upper_Case").write(dir.resolve("up.jar"));
        PluginStatus s = statusOf(PluginRegistry.load(dir), "up.jar");
        assertEquals("backbone provider p.up.Up: name \"Upper_Case\" is not valid (must match [a-z0-9-]+)", s.error());
    }

    @Test
    void pluginCannotSeeRunnerInternalsButSeesTheApi() throws IOException {
        String probe = "try { Class.forName(\"org.exfacegan.runner.plugin.PluginRegistry\", false, getClass().getClassLoader());"
                + " info += \"runner:visible \"; } catch (ClassNotFoundException e) { info += \"runner:hidden \"; }"
                + "try { Class.forName(\"com.fasterxml.jackson.databind.ObjectMapper\", false, getClass().getClassLoader());"
                + " info += \"databind:visible \"; } catch (ClassNotFoundException e) { info += \"databind:hidden \"; }"
                + "try { Class.forName(\"org.exfacegan.api.Provider\", false, getClass().getClassLoader());"
                + " info += \"api:visible\"; } catch (ClassNotFoundException e) { info += \"api:hidden\"; }"
                + "if (Thread.currentThread().getContextClassLoader() != getClass().getClassLoader()) info += \" tccl:wrong\";";
        new PluginJarBuilder()
                .source("p.iso.Iso", PluginJarBuilder.backboneSource("p.iso", "Iso", "iso-gan", ApiVersion.CURRENT, probe, "info"))
                .service("org.exfacegan.api.backbone.BackboneProvider", "p.iso.Iso")
                .write(dir.resolve("iso.jar"));
        LoadedProvider p = PluginRegistry.load(dir).require(ProviderKind.BACKBONE, "iso-gan");
        assertEquals("runner:hidden databind:hidden api:visible", p.provider().description());
        // a host resource outside the exported packages is invisible too
        assertNull(p.loader().getResource("org/exfacegan/runner/plugin/PluginRegistry.class"));
    }

    /**
     * Plugins bundle libraries into their own jar (the style-GAN plugins shade gan-support and npy):
     * two jars bundling different versions of the same library class each load their own, and the
     * host's copy (gan-support is on this test class path) stays invisible to both.
     */
    @Test
    void librariesBundledInPluginJarsStayPrivateToEachPlugin() throws IOException {
        for (String version : new String[] {"one", "two"}) {
            String probe = "try { info = (String) Class.forName(\"org.exfacegan.gan.Bundled\", true, getClass().getClassLoader())"
                    + ".getMethod(\"v\").invoke(null); Class.forName(\"org.exfacegan.gan.GanBackbone\", false, getClass()"
                    + ".getClassLoader()); info += \" host-gan:visible\"; } catch (ClassNotFoundException e) { info += \" host-gan:hidden\"; }"
                    + " catch (Exception e) { info = e.toString(); }";
            new PluginJarBuilder()
                    .source("org.exfacegan.gan.Bundled", "package org.exfacegan.gan; public final class Bundled { public static String v() "
                            + "{ return \"" + version + "\"; } }")
                    .source("p." + version + ".P", PluginJarBuilder.backboneSource("p." + version, "P", version + "-gan",
                            ApiVersion.CURRENT, probe, "info"))
                    .service("org.exfacegan.api.backbone.BackboneProvider", "p." + version + ".P")
                    .write(dir.resolve(version + ".jar"));
        }
        PluginRegistry registry = PluginRegistry.load(dir);
        assertTrue(statusOf(registry, "one.jar").ok(), statusOf(registry, "one.jar").error());
        assertEquals("one host-gan:hidden", registry.require(ProviderKind.BACKBONE, "one-gan").provider().description());
        assertEquals("two host-gan:hidden", registry.require(ProviderKind.BACKBONE, "two-gan").provider().description());
    }

    @Test
    void pluginSubFolderSharesOneLoaderAcrossItsJars() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("folder-plugin"));
        new PluginJarBuilder().source("p.lib.Helper", "package p.lib; public final class Helper { public static String v() { return \"from-lib\"; } }")
                .write(folder.resolve("helper-lib.jar"));
        Path libJar = folder.resolve("helper-lib.jar");
        // the provider jar is compiled against the helper (on the test class path via a copy in the same loader)
        String src = PluginJarBuilder.backboneSource("p.fold", "Fold", "fold-gan", ApiVersion.CURRENT,
                "try { info = (String) Class.forName(\"p.lib.Helper\").getMethod(\"v\").invoke(null); } catch (Exception e) { info = e.toString(); }",
                "info");
        new PluginJarBuilder().source("p.fold.Fold", src.replace("Class.forName(\"p.lib.Helper\")",
                        "Class.forName(\"p.lib.Helper\", true, getClass().getClassLoader())"))
                .service("org.exfacegan.api.backbone.BackboneProvider", "p.fold.Fold")
                .write(folder.resolve("main.jar"));
        PluginRegistry registry = PluginRegistry.load(dir);
        PluginStatus s = statusOf(registry, "folder-plugin");
        assertTrue(s.ok(), s.error());
        assertEquals("from-lib", registry.require(ProviderKind.BACKBONE, "fold-gan").provider().description());
        assertTrue(Files.exists(libJar));
    }

    @Test
    void wrappedCallsRunWithThePluginContextLoader() throws IOException {
        new PluginJarBuilder().backbone("p.good", "GoodProvider", "good-gan").write(dir.resolve("good.jar"));
        LoadedProvider p = PluginRegistry.load(dir).require(ProviderKind.BACKBONE, "good-gan");
        ClassLoader seen = p.call(() -> Thread.currentThread().getContextClassLoader());
        assertEquals(p.loader(), seen);
        Runnable wrapped = p.wrap(Runnable.class, () -> assertEquals(p.loader(), Thread.currentThread().getContextClassLoader()));
        wrapped.run();
        assertTrue(Thread.currentThread().getContextClassLoader() != p.loader());
    }

    @Test
    void missingPluginsFolderGivesBuiltInsOnly() {
        PluginRegistry registry = PluginRegistry.load(dir.resolve("nope"));
        assertEquals(1, registry.statuses().size());
        assertTrue(registry.statuses().get(0).source().isBuiltIn());
        assertEquals(List.of(), registry.providers(ProviderKind.BACKBONE).stream()
                .filter(p -> !p.source().isBuiltIn()).toList());
    }
}
