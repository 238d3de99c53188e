package org.exfacegan.runner.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles provider sources against the test class path and packs them as a plugin jar. */
final class PluginJarBuilder {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();

    /** A backbone provider class {@code pkg.Cls} with the given name and API version. */
    static String backboneSource(String pkg, String cls, String name, String apiVersion, String constructorBody, String description) {
        return """
                package %s;
                public final class %s implements org.exfacegan.api.backbone.BackboneProvider {
                    private String info = "";
                    public %s() { %s }
                    public String name() { return "%s"; }
                    public String version() { return "9.9"; }
                    public String apiVersion() { return "%s"; }
                    public String description() { return %s; }
                    public org.exfacegan.api.backbone.Backbone open(org.exfacegan.api.PluginContext c) {
                        throw new UnsupportedOperationException();
                    }
                }
                """.formatted(pkg, cls, cls, constructorBody, name, apiVersion, description);
    }

    PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    PluginJarBuilder backbone(String pkg, String cls, String name) {
        return backbone(pkg, cls, name, org.exfacegan.api.ApiVersion.CURRENT);
    }

    PluginJarBuilder backbone(String pkg, String cls, String name, String apiVersion) {
        source(pkg + "." + cls, backboneSource(pkg, cls, name, apiVersion, "", "\"test plugin\""));
        return service("org.exfacegan.api.backbone.BackboneProvider", pkg + "." + cls);
    }

    PluginJarBuilder service(String spi, String impl) {
        services.computeIfAbsent(spi, k -> new ArrayList<>()).add(impl);
        return this;
    }

    PluginJarBuilder entry(String name, byte[] content) {
        extraEntries.put(name, content);
        return this;
    }

    Path write(Path jar) throws IOException {
        Path classes = Files.createTempDirectory("plugin-classes");
        if (!sources.isEmpty()) {
            Path src = Files.createTempDirectory("plugin-src");
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                    "--release", "17", "-nowarn"));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                args.add(f.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac.run(null, null, System.err, args.toArray(String[]::new)) != 0) {
                throw new IllegalStateException("test plugin did not compile");
            }
        }
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
            for (Map.Entry<String, List<String>> e : services.entrySet()) {
                put(out, "META-INF/services/" + e.getKey(), String.join("\n", e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) {
                put(out, e.getKey(), e.getValue());
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(bytes);
        out.closeEntry();
    }
}
