package org.exfacegan.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelRuntimeProvider;
import org.exfacegan.api.runtime.ModelSession;

/**
 * The {@link ModelHost} handed to plugins: picks a runtime by the name in the options, else by the
 * model file's extension, and wraps the session in a {@link BatchingSession}. Names and
 * extensions are read once, when the host is made; the host's own runtimes open the file types
 * they claim, and a plugin runtime is picked by extension only for files no built-in opens (by
 * name it is picked whenever asked for): a plugin cannot take over the models of a built-in.
 */
public final class DefaultModelHost implements ModelHost {
    /**
     * A runtime with what it said about itself.
     *
     * @param name       its name, frozen
     * @param extensions the file endings it opens, frozen
     * @param builtIn    one of the host's own runtimes
     * @param provider   the runtime
     */
    public record Runtime(String name, Set<String> extensions, boolean builtIn, ModelRuntimeProvider provider) {
        public Runtime {
            extensions = Set.copyOf(extensions);
        }
    }

    private final List<Runtime> runtimes;

    /** Host runtimes (tests and tools): each asked for its name and extensions once, here. */
    public DefaultModelHost(List<ModelRuntimeProvider> runtimes) {
        this(runtimes.stream().map(r -> new Runtime(r.name(), r.fileExtensions(), true, r)).toArray(Runtime[]::new));
    }

    private DefaultModelHost(Runtime[] runtimes) {
        this.runtimes = List.of(runtimes);
    }

    /** A host over runtimes whose names and extensions were frozen at discovery. */
    public static DefaultModelHost of(List<Runtime> runtimes) {
        return new DefaultModelHost(runtimes.toArray(Runtime[]::new));
    }

    /** The runtimes on this class loader's class path (the engine modules' META-INF/services); for tests and tools. */
    public static DefaultModelHost fromServiceLoader() {
        List<ModelRuntimeProvider> found = new ArrayList<>();
        ServiceLoader.load(ModelRuntimeProvider.class, DefaultModelHost.class.getClassLoader()).forEach(found::add);
        return new DefaultModelHost(found);
    }

    public List<ModelRuntimeProvider> runtimes() {
        return runtimes.stream().map(Runtime::provider).toList();
    }

    @Override
    public ModelSession open(Path model, ModelOptions options, Set<String> unbatchedInputs) {
        if (!Files.exists(model)) {
            throw new ExfaceganException("model file not found: " + model.toAbsolutePath());
        }
        if (!Files.isRegularFile(model)) {
            throw new ExfaceganException("model path is not a file: " + model.toAbsolutePath());
        }
        ModelRuntimeProvider runtime = select(model, options.runtime());
        return new BatchingSession(runtime.open(model, options), options.batchSize(), unbatchedInputs);
    }

    /** The runtime named {@code name}, or when null the one whose file extension fits the model. */
    public ModelRuntimeProvider select(Path model, String name) {
        if (name != null) {
            return runtimes.stream().filter(r -> r.name().equals(name)).findFirst().map(Runtime::provider)
                    .orElseThrow(() -> new ExfaceganException("unknown model runtime '" + name + "' for " + model
                            + "; available runtimes: " + listing()
                            + EngineModule.noteOnName(name)));
        }
        String file = model.getFileName().toString().toLowerCase(Locale.ROOT);
        Runtime best = byExtension(file, true);
        if (best == null) {
            best = byExtension(file, false);
        }
        if (best == null) {
            throw new ExfaceganException("no model runtime opens " + model + " by its file extension; available runtimes: "
                    + listing() + EngineModule.opening(file).map(e -> ". " + e.missing())
                            .orElse(" (name one explicitly with the runtime option)"));
        }
        return best.provider();
    }

    /** Among the built-in (or the plugin) runtimes, the one with the longest extension matching the file. */
    private Runtime byExtension(String file, boolean builtIn) {
        Runtime best = null;
        int bestLength = -1;
        for (Runtime r : runtimes) {
            if (r.builtIn() != builtIn) {
                continue;
            }
            for (String ext : r.extensions()) {
                if (file.endsWith(ext.toLowerCase(Locale.ROOT)) && ext.length() > bestLength) {
                    best = r;
                    bestLength = ext.length();
                }
            }
        }
        return best;
    }

    private String listing() {
        if (runtimes.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Runtime r : runtimes) {
            parts.add(r.name() + " " + new TreeSet<>(r.extensions()));
        }
        return String.join(", ", parts);
    }
}
