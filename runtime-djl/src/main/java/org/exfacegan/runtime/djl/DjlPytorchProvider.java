package org.exfacegan.runtime.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelRuntimeProvider;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * TorchScript models on DJL's PyTorch engine, offline: libtorch comes from the
 * pytorch-native-cpu jar on the class path and is extracted once into the DJL cache
 * ({@link #cacheDir()}); {@code ai.djl.offline=true} keeps DJL from downloading anything.
 *
 * <p>TorchScript names neither inputs nor outputs. Inputs are passed to {@code forward}
 * positionally and outputs (a tensor or a tuple/list of tensors) are taken in order; their names
 * and shapes come from, in this order: the extra file {@value #IO_ENTRY} embedded in the .pt
 * ({@code torch.jit.save(m, f, _extra_files={"exfacegan.json": ...})}), a sidecar
 * {@code <model>.pt.json} with the same content, or the layout the plugin passes to
 * {@link ModelSession#expect}. The content is {@code {"inputs":[{"name":"x","shape":[-1,4]}],
 * "outputs":[...]}}; -1 marks a dynamic dimension.
 */
public final class DjlPytorchProvider implements ModelRuntimeProvider {
    public static final String NAME = "djl-pytorch";
    public static final String IO_ENTRY = "exfacegan.json";
    /** System property, then environment variable, naming the DJL cache folder. */
    public static final String CACHE_PROPERTY = "exfacegan.djl.cache";
    public static final String CACHE_ENV = "EXFACEGAN_DJL_CACHE";
    private static final String BUNDLED = "native/lib/pytorch.properties";

    private static Engine engine;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        // DJL's jars carry no Implementation-Version; the build records the one it used
        try (var in = DjlPytorchProvider.class.getResourceAsStream("/org/exfacegan/runtime/djl/versions.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("djl", "unknown") + " (PyTorch " + p.getProperty("pytorch", "unknown") + ")";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "DJL " + version() + " PyTorch engine (TorchScript .pt; cpu)";
    }

    @Override
    public Set<String> fileExtensions() {
        return Set.of(".pt");
    }

    /**
     * The DJL cache folder: system property {@value #CACHE_PROPERTY}, else env {@value #CACHE_ENV},
     * else {@code djl} under env EXFACEGAN_CACHE, else {@code ~/.cache/exfacegan/djl}.
     */
    public static Path cacheDir() {
        String dir = System.getProperty(CACHE_PROPERTY, System.getenv(CACHE_ENV));
        if (dir != null && !dir.isBlank()) {
            return Paths.get(dir);
        }
        String base = System.getenv("EXFACEGAN_CACHE");
        return (base != null && !base.isBlank() ? Paths.get(base)
                : Paths.get(System.getProperty("user.home"), ".cache", "exfacegan")).resolve("djl");
    }

    /** Where DJL keeps the extracted libtorch (DJL's own DJL_CACHE_DIR / ENGINE_CACHE_DIR env win over ours). */
    public static Path engineCacheDir() {
        return Utils.getEngineCacheDir("pytorch");
    }

    /** The PyTorch engine, started on first use from the bundled natives only (also for training). */
    public static synchronized Engine engine() {
        if (engine != null) {
            return engine;
        }
        ClassLoader own = DjlPytorchProvider.class.getClassLoader();
        if (own.getResource(BUNDLED) == null && System.getenv("PYTORCH_LIBRARY_PATH") == null) {
            throw new ExfaceganException("DJL PyTorch natives are not on the class path (the jar "
                    + "ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 is missing); refusing to let DJL download them");
        }
        setIfAbsent("ai.djl.offline", "true");
        String cache = cacheDir().toAbsolutePath().toString();
        setIfAbsent("DJL_CACHE_DIR", cache);
        setIfAbsent("ENGINE_CACHE_DIR", cache);
        // DJL finds its engine and natives through the context class loader; plugins call us with theirs
        Thread t = Thread.currentThread();
        ClassLoader saved = t.getContextClassLoader();
        t.setContextClassLoader(own);
        try {
            engine = Engine.getEngine("PyTorch");
            return engine;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new ExfaceganException("cannot start the DJL PyTorch engine from the bundled natives (cache folder "
                    + engineCacheDir() + "): " + e.getMessage(), e);
        } finally {
            t.setContextClassLoader(saved);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Flavor of the bundled natives ("cpu", "cu124", ...), from the native jar's properties. */
    static String bundledFlavor() {
        try (InputStream in = DjlPytorchProvider.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("flavor", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public ModelSession open(Path model, ModelOptions options) {
        if (!Files.isRegularFile(model)) {
            throw new ExfaceganException("TorchScript model file not found: " + model);
        }
        Device device = device(options, model.toString());
        Engine e = engine();
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads()); // libtorch's intra-op pool is process-wide
        }
        NDManager manager = e.newBaseManager(device);
        try {
            String[] keys = {IO_ENTRY};
            String[] values = new String[1];
            PtSymbolBlock block;
            try {
                block = JniUtils.loadModule((PtNDManager) manager, model, true, keys, values, false);
            } catch (RuntimeException | UnsatisfiedLinkError ex) {
                throw new ExfaceganException("cannot load TorchScript model " + model + ": " + ex.getMessage(), ex);
            }
            Io io;
            try {
                io = describe(model, values[0]);
            } catch (RuntimeException ex) {
                block.close();
                throw ex;
            }
            return new DjlSession(model, manager, block, io == null ? null : io.specs(io.inputs),
                    io == null ? null : io.specs(io.outputs));
        } catch (RuntimeException ex) {
            manager.close();
            throw ex;
        }
    }

    /**
     * The DJL device for {@code options.device()}; {@code cuda:N} only with CUDA natives bundled and
     * GPU N present. {@code what} names the user of the device in errors (a model file, a training).
     */
    public static Device device(ModelOptions options, String what) {
        if (!options.isCuda()) {
            return Device.cpu();
        }
        String flavor = bundledFlavor();
        if (!flavor.startsWith("cu")) {
            throw new ExfaceganException("device " + options.device() + " requested for " + what
                    + ", but this build bundles DJL's PyTorch natives for the CPU only (pytorch-native-" + flavor
                    + " 2.7.1). DJL on CUDA needs the DJL 0.33.0 set: ai.djl:api and ai.djl.pytorch:pytorch-engine 0.33.0, "
                    + "pytorch-jni 2.5.1-0.33.0 and pytorch-native-cu124 2.5.1 (linux-x86_64): build with -Pdjl-cuda, and "
                    + "install the CUDA 12.4 libraries (see docs/runtimes.md); or run ONNX models on onnxruntime built with -Pcuda, "
                    + "or use device cpu.");
        }
        int gpus = engine().getGpuCount();
        if (options.cudaIndex() >= gpus) {
            throw new ExfaceganException("device " + options.device() + " requested for " + what + ", but DJL ("
                    + flavor + ") sees " + gpus + " GPU(s)");
        }
        return Device.gpu(options.cudaIndex());
    }

    /** The io description: embedded entry, else sidecar, else null (adopted from the plugin). */
    private static Io describe(Path model, String embedded) {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        String source = "entry " + IO_ENTRY + " embedded in " + model;
        String text = embedded;
        if (text == null || text.isEmpty()) {
            Path sidecar = model.resolveSibling(model.getFileName() + ".json");
            if (!Files.isRegularFile(sidecar)) {
                return null;
            }
            source = sidecar.toString();
            try {
                text = Files.readString(sidecar);
            } catch (IOException e) {
                throw new ExfaceganException("cannot read " + sidecar + ": " + e.getMessage(), e);
            }
        }
        Io io;
        try {
            io = json.readValue(text, Io.class);
        } catch (IOException e) {
            throw new ExfaceganException("invalid input/output description in " + source + ": " + e.getMessage(), e);
        }
        if (io.inputs == null || io.outputs == null || io.inputs.isEmpty() || io.outputs.isEmpty()
                || io.inputs.stream().anyMatch(Io.Entry::invalid) || io.outputs.stream().anyMatch(Io.Entry::invalid)) {
            throw new ExfaceganException("invalid input/output description in " + source
                    + ": needs non-empty \"inputs\" and \"outputs\" lists of {\"name\": ..., \"shape\": [...]}");
        }
        return io;
    }

    /** JSON form of the description. */
    record Io(List<Entry> inputs, List<Entry> outputs) {
        record Entry(String name, long[] shape) {
            boolean invalid() {
                return name == null || name.isEmpty() || shape == null;
            }
        }

        List<TensorSpec> specs(List<Entry> entries) {
            return entries.stream().map(e -> new TensorSpec(e.name(), e.shape())).toList();
        }
    }
}
