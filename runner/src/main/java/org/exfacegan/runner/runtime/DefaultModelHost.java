package org.exfacegan.runner.runtime;

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
 * model file's extension (longest match wins), and wraps the session in a {@link BatchingSession}.
 */
public final class DefaultModelHost implements ModelHost {
    private final List<ModelRuntimeProvider> runtimes;

    public DefaultModelHost(List<ModelRuntimeProvider> runtimes) {
        this.runtimes = List.copyOf(runtimes);
    }

    /** The runtimes registered in the runner's own jar (META-INF/services); for tests and tools. */
    public static DefaultModelHost fromServiceLoader() {
        List<ModelRuntimeProvider> found = new ArrayList<>();
        ServiceLoader.load(ModelRuntimeProvider.class, DefaultModelHost.class.getClassLoader()).forEach(found::add);
        return new DefaultModelHost(found);
    }

    public List<ModelRuntimeProvider> runtimes() {
        return runtimes;
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
            return runtimes.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ExfaceganException("unknown model runtime '" + name + "' for " + model
                            + "; available runtimes: " + listing()));
        }
        String file = model.getFileName().toString().toLowerCase(Locale.ROOT);
        ModelRuntimeProvider best = null;
        int bestLength = -1;
        for (ModelRuntimeProvider r : runtimes) {
            for (String ext : r.fileExtensions()) {
                if (file.endsWith(ext.toLowerCase(Locale.ROOT)) && ext.length() > bestLength) {
                    best = r;
                    bestLength = ext.length();
                }
            }
        }
        if (best == null) {
            throw new ExfaceganException("no model runtime opens " + model + " by its file extension; available runtimes: "
                    + listing() + " (name one explicitly with the runtime option)");
        }
        return best;
    }

    private String listing() {
        if (runtimes.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (ModelRuntimeProvider r : runtimes) {
            parts.add(r.name() + " " + new TreeSet<>(r.fileExtensions()));
        }
        return String.join(", ", parts);
    }
}
