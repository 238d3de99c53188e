package org.exfacegan.runner.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.Provider;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.api.runtime.ModelRuntimeProvider;
import org.exfacegan.runner.io.Sha256;

/**
 * Loads plugins: every jar directly in the plugins folder, and every sub-folder (its jars share
 * one loader), each in its own class loader whose parent shows only the platform and the
 * exported host packages ({@link HostFilterClassLoader}). Problems become a failed
 * {@link PluginStatus} naming the jar; they never stop the other plugins from loading.
 */
final class PluginLoader {
    /** Jar entries that mean a plugin bundles what the host must own. */
    private static final String API_PREFIX = "org/exfacegan/api/";
    private static final List<String> RUNTIME_PREFIXES = List.of("ai/onnxruntime/", "ai/djl/", "org/bytedeco/");
    /** Classes of ONNX Runtime and DJL's PyTorch engine that keep their names when a shading plugin relocates their package. */
    private static final java.util.Set<String> RUNTIME_CLASSES = java.util.Set.of("OrtEnvironment.class", "OrtSession.class",
            "OnnxRuntime.class", "OnnxTensor.class", "PtEngine.class", "PtNDManager.class");
    /** Native libraries, versioned names included ({@code libx.so.1.2}). */
    private static final java.util.regex.Pattern NATIVE = java.util.regex.Pattern.compile(
            "(?i).*\\.(so|dll|dylib|jnilib)(\\.[0-9]+)*");
    /**
     * Zip-bomb limits, checked on the sizes the zip's directory declares before anything is
     * inflated (the class loader reads an entry up to its declared size, no further).
     */
    static final long MAX_ENTRY_BYTES = 256L << 20;
    static final long MAX_TOTAL_BYTES = 1L << 30;
    /** Deflate gets ~3-20x on classes and resources; a megabyte-sized entry squeezed further is a bomb. */
    static final long MAX_RATIO = 200;
    /** ServiceLoader reads the service files whole: they are inflated here first, bounded. */
    static final int MAX_SERVICE_FILE_BYTES = 64 << 10;

    /**
     * How long one plugin's discovery (class loading, static initialisers, constructors, name() and
     * the other self-descriptions) may take before it is refused; {@code -Dexfacegan.pluginTimeoutSeconds}.
     */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(Long.getLong("exfacegan.pluginTimeoutSeconds", 20));

    private final ClassLoader host;
    private final Duration timeout;

    PluginLoader() {
        this(PluginLoader.class.getClassLoader(), DEFAULT_TIMEOUT);
    }

    PluginLoader(ClassLoader host) {
        this(host, DEFAULT_TIMEOUT);
    }

    PluginLoader(ClassLoader host, Duration timeout) {
        this.host = host;
        this.timeout = timeout;
    }

    /** Built-ins first, then the plugins in name order. */
    List<PluginStatus> loadAll(Path pluginsDir) {
        return loadAll(pluginsDir, PluginPolicy.DEFAULT);
    }

    List<PluginStatus> loadAll(Path pluginsDir, PluginPolicy policy) {
        List<PluginStatus> out = new ArrayList<>();
        out.add(loadBuiltIns());
        for (Path location : listPlugins(pluginsDir)) {
            out.add(load(location, pluginsDir, policy));
        }
        return out;
    }

    /** Applies the trust policy, then loads (from private copies when an allow-list pins the jars). */
    PluginStatus load(Path location, Path pluginsDir, PluginPolicy policy) {
        String distrust = PluginTrust.distrust(location, pluginsDir);
        if (!policy.strict()) {
            PluginStatus s = load(location);
            return distrust == null || !s.ok() ? s : new PluginStatus(s.source(), s.providers(), null,
                    "untrusted plugin: " + distrust + "; anyone able to write there can run code in this process "
                            + "(--strict-plugins refuses such plugins, --allow-sha256 pins the jars you trust)");
        }
        if (policy.allowed().isEmpty()) {
            return distrust == null ? load(location) : failed(location, null, "refused by --strict-plugins: " + distrust
                    + " (check the jar and pass its SHA-256 with --allow-sha256 to accept it)");
        }
        List<Path> copies;
        try {
            copies = PluginTrust.privateCopies(jarsOf(location));
        } catch (IOException e) {
            return failed(location, null, "cannot read: " + e.getMessage());
        }
        for (Path copy : copies) {
            String sha;
            try {
                sha = Sha256.of(copy);
            } catch (IOException e) {
                return failed(location, null, "cannot read: " + e.getMessage());
            }
            if (!policy.allowed().contains(sha)) {
                return failed(location, sha, "refused by --strict-plugins: " + (copies.size() > 1 ? "jar " + copy.getFileName() + " with " : "")
                        + "SHA-256 " + sha + " is not in the allow-list");
            }
        }
        return load(location, copies);
    }

    /** Providers on the host's own class path (the model runtimes; test providers in tests). */
    PluginStatus loadBuiltIns() {
        List<LoadedProvider> providers = new ArrayList<>();
        for (ProviderKind kind : ProviderKind.values()) {
            for (Provider p : ServiceLoader.load(kind.spi(), host)) {
                if (p.getClass().getClassLoader() == host) {
                    providers.add(new LoadedProvider(kind, p, describe(p), PluginSource.BUILT_IN, host));
                }
            }
        }
        return new PluginStatus(PluginSource.BUILT_IN, providers, null);
    }

    static List<Path> listPlugins(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(pluginsDir)) {
            return entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new org.exfacegan.api.ExfaceganException("cannot list plugins folder " + pluginsDir + ": " + e.getMessage(), e);
        }
    }

    /** Loads one plugin jar or sub-folder. */
    PluginStatus load(Path location) {
        try {
            return load(location, jarsOf(location));
        } catch (IOException e) {
            return failed(location, null, "cannot read: " + e.getMessage());
        }
    }

    /** Loads the plugin at {@code location} from {@code jars} (its own jars, or checked copies of them). */
    private PluginStatus load(Path location, List<Path> jars) {
        String sha;
        try {
            List<String> hashes = new ArrayList<>();
            for (Path jar : jars) {
                String problem = inspect(jar);
                if (problem != null) {
                    return failed(location, hashOrNull(jar), (jars.size() > 1 ? jar.getFileName() + ": " : "") + problem);
                }
                hashes.add(Sha256.of(jar));
            }
            sha = hashes.size() == 1 ? hashes.get(0) : Sha256.of(String.join("\n", hashes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return failed(location, null, "cannot read: " + e.getMessage());
        }
        PluginSource source = new PluginSource(location, sha);
        URLClassLoader loader = new URLClassLoader("plugin:" + location.getFileName(), urls(jars),
                new HostFilterClassLoader(host));
        List<LoadedProvider> providers;
        try {
            providers = bounded(location, loader, () -> discoverAll(loader, source));
        } catch (Refusal r) {
            if (!r.stillRunning) {
                close(loader);
            } // else: its code still runs on the abandoned thread; the loader stays open for it
            return new PluginStatus(source, List.of(), r.getMessage());
        }
        if (providers.isEmpty()) {
            close(loader);
            return new PluginStatus(source, List.of(), "no exfacegan provider registered: expected a file "
                    + "META-INF/services/" + ProviderKind.BACKBONE.spi().getName() + " or "
                    + "META-INF/services/" + ProviderKind.RECOGNIZER.spi().getName() + " naming the provider class");
        }
        return new PluginStatus(source, providers, null);
    }

    /** Why a plugin is refused, found while its own code ran. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean stillRunning;

        Refusal(String message, boolean stillRunning) {
            super(message, null, false, false);
            this.stillRunning = stillRunning;
        }
    }

    /**
     * Runs plugin code on a daemon thread of its own, with the plugin's context class loader,
     * bounded by the timeout: whatever it throws (an {@code Error} too: a StackOverflowError in
     * {@code name()}) or a call that never returns refuses this plugin only. A thread that does
     * not return is abandoned (a daemon: it does not keep the process alive) and interrupted.
     */
    private <T> T bounded(Path location, ClassLoader loader, Callable<T> body) throws Refusal {
        FutureTask<T> task = new FutureTask<>(() -> LoadedProvider.withContextLoader(loader, body));
        Thread thread = new Thread(task, "exfacegan plugin discovery: " + location.getFileName());
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new Refusal("did not finish loading within " + timeout.toSeconds() + " s (a static initialiser, "
                    + "constructor or name() that never returns?); abandoned", true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof ExfaceganException x && x.getCause() != null ? x.getCause() : e.getCause();
            if (cause instanceof Refusal r) {
                throw r;
            }
            throw new Refusal("failed while loading: " + rootMessage(cause), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal("loading was interrupted", true);
        }
    }

    /** Instantiates and validates the providers of every kind; runs the plugin's code. */
    private static List<LoadedProvider> discoverAll(ClassLoader loader, PluginSource source) throws Refusal {
        List<LoadedProvider> out = new ArrayList<>();
        for (ProviderKind kind : ProviderKind.values()) {
            try {
                discover(kind, loader, source, out);
            } catch (ServiceConfigurationError | LinkageError e) {
                throw new Refusal("cannot load its " + kind.label() + " providers: " + rootMessage(e), false);
            }
        }
        return out;
    }

    /** Instantiates and validates the providers of one kind. */
    private static void discover(ProviderKind kind, ClassLoader loader, PluginSource source, List<LoadedProvider> out)
            throws Refusal {
        for (ServiceLoader.Provider<? extends Provider> handle : ServiceLoader.load(kind.spi(), loader).stream().toList()) {
            String className = handle.type().getName();
            if (handle.type().getClassLoader() != loader) {
                continue; // visible through the parent: not this plugin's
            }
            Provider p;
            try {
                p = handle.get();
            } catch (ServiceConfigurationError e) {
                throw new Refusal(kind.label() + " provider " + className + " failed to load: " + rootMessage(e), false);
            }
            ProviderInfo info;
            try {
                info = describe(p);
            } catch (RuntimeException | Error e) {
                throw new Refusal(kind.label() + " provider " + className + " throws when asked for its name or versions: "
                        + rootMessage(e), false);
            }
            String problem = validate(info);
            if (problem != null) {
                throw new Refusal(kind.label() + " provider " + className + ": " + problem, false);
            }
            out.add(new LoadedProvider(kind, p, info, source, loader));
        }
    }

    /** Asks a provider about itself, once. */
    private static ProviderInfo describe(Provider p) {
        java.util.Set<String> extensions = p instanceof ModelRuntimeProvider r ? r.fileExtensions() : java.util.Set.of();
        return new ProviderInfo(p.name(), p.version(), p.apiVersion(), p.description(), p.settingsType(),
                extensions == null ? java.util.Set.of() : extensions);
    }

    private static String validate(ProviderInfo p) {
        String name = p.name();
        if (p.version() == null || p.version().isBlank()) {
            return "version() is empty";
        }
        if (name == null || !Provider.NAME.matcher(name).matches()) {
            return "name \"" + name + "\" is not valid (must match [a-z0-9-]+)";
        }
        try {
            String incompatible = ApiVersion.incompatibility(p.apiVersion());
            return incompatible == null ? null : "\"" + name + "\" is " + incompatible;
        } catch (IllegalArgumentException e) {
            return "\"" + name + "\" reports " + e.getMessage();
        }
    }

    private static List<Path> jarsOf(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return List.of(location);
        }
        try (Stream<Path> files = Files.list(location)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IOException("plugin folder holds no .jar file");
            }
            return jars;
        }
    }

    /** Checks a jar's structure; returns the problem or null. */
    static String inspect(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            long total = 0;
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                String size = sizeProblem(entry);
                if (size != null) {
                    return size;
                }
                total += Math.max(0, entry.getSize());
                if (total > MAX_TOTAL_BYTES) {
                    return "entries declare more than " + MAX_TOTAL_BYTES + " bytes in all when inflated (a zip bomb?)";
                }
                if (name.startsWith("META-INF/services/") && !entry.isDirectory()) {
                    String problem = checkServiceFile(zip, entry);
                    if (problem != null) {
                        return problem;
                    }
                }
                if (name.startsWith(API_PREFIX)) {
                    return "bundles the exfacegan api classes (" + name + "); depend on exfacegan-api with "
                            + "<scope>provided</scope> so the host's api is used";
                }
                String runtime = bundledRuntime(name);
                if (runtime != null) {
                    return "bundles a model runtime (" + runtime + "); ONNX Runtime and DJL live in the host "
                            + "(a JVM loads a native library once): open models through ModelHost instead";
                }
                if (!entry.isDirectory() && NATIVE.matcher(name).matches()) {
                    return "bundles a native library (" + name + "); native runtimes live in the host only";
                }
            }
            return null;
        } catch (ZipException e) {
            return "corrupt jar: not a readable zip file (" + e.getMessage() + ")";
        } catch (IOException e) {
            return "cannot read jar: " + e.getMessage();
        }
    }

    /** The entry when it is part of a model runtime, under its own package or shaded under another prefix; else null. */
    private static String bundledRuntime(String name) {
        for (String prefix : RUNTIME_PREFIXES) {
            if (name.startsWith(prefix) || name.contains("/" + prefix)) {
                return name;
            }
        }
        String simple = name.substring(name.lastIndexOf('/') + 1);
        return RUNTIME_CLASSES.contains(simple) ? name + ", a class of the runtime under another package" : null;
    }

    private static String sizeProblem(ZipEntry entry) {
        long size = entry.getSize();
        long packed = entry.getCompressedSize();
        if (size > MAX_ENTRY_BYTES) {
            return "entry " + entry.getName() + " inflates to " + size + " bytes, over the limit of " + MAX_ENTRY_BYTES;
        }
        if (size > (1 << 20) && packed >= 0 && size > MAX_RATIO * Math.max(packed, 1)) {
            return "entry " + entry.getName() + " inflates " + size / Math.max(packed, 1) + "-fold (" + packed + " -> " + size
                    + " bytes): a zip bomb?";
        }
        return null;
    }

    /** Inflates a service file, never past its bound (a lying size field cannot make it grow). */
    private static String checkServiceFile(ZipFile zip, ZipEntry entry) throws IOException {
        if (entry.getSize() > MAX_SERVICE_FILE_BYTES) {
            return "service file " + entry.getName() + " declares " + entry.getSize() + " bytes, over the limit of " + MAX_SERVICE_FILE_BYTES;
        }
        try (var in = zip.getInputStream(entry)) {
            byte[] head = in.readNBytes(MAX_SERVICE_FILE_BYTES + 1);
            if (head.length > MAX_SERVICE_FILE_BYTES) {
                return "service file " + entry.getName() + " inflates past " + MAX_SERVICE_FILE_BYTES + " bytes";
            }
        }
        return null;
    }

    private static PluginStatus failed(Path location, String sha, String error) {
        return new PluginStatus(new PluginSource(location, sha), List.of(), error);
    }

    private static String hashOrNull(Path jar) {
        try {
            return Sha256.of(jar);
        } catch (IOException e) {
            return null;
        }
    }

    private static URL[] urls(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return urls;
    }

    private static void close(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing was loaded from it that is still in use
        }
    }

    /** The innermost cause's class and message, e.g. "IllegalStateException: boom". */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
