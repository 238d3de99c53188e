package org.exfacegan.runner.plugin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.ProviderKind;
import org.exfacegan.runtime.EngineModule;

/**
 * All providers the host knows: its built-ins (the model runtimes) and those of every plugin in
 * the plugins folder. Names are unique per kind; a plugin whose name clashes with another is
 * refused, both jars named. The built-ins' names are reserved across kinds: a plugin backbone
 * called "onnxruntime" would read as the runtime in listings and provenance, so it is refused; so
 * are the names of the engine modules a build left out ("djl-pytorch" in an ONNX-only build).
 */
public final class PluginRegistry {
    private final List<PluginStatus> statuses;
    private final Map<ProviderKind, Map<String, LoadedProvider>> byName = new EnumMap<>(ProviderKind.class);

    PluginRegistry(List<PluginStatus> loaded) {
        for (ProviderKind kind : ProviderKind.values()) {
            byName.put(kind, new TreeMap<>());
        }
        this.statuses = resolveDuplicates(loaded);
        for (PluginStatus status : statuses) {
            if (status.source().isBuiltIn()) {
                status.providers().forEach(p -> builtInNames.add(p.name()));
            }
        }
        for (PluginStatus status : statuses) {
            for (LoadedProvider p : status.providers()) {
                byName.get(p.kind()).put(p.name(), p);
            }
        }
    }

    /** Loads the host's built-in providers and every plugin under {@code pluginsDir}. */
    public static PluginRegistry load(Path pluginsDir) {
        return load(pluginsDir, PluginPolicy.DEFAULT);
    }

    /** Loads the built-ins and the plugins under {@code pluginsDir} that {@code policy} lets in. */
    public static PluginRegistry load(Path pluginsDir, PluginPolicy policy) {
        return new PluginRegistry(new PluginLoader().loadAll(pluginsDir, policy));
    }

    /** As {@link #load(Path, PluginPolicy)}, each plugin's discovery bounded by {@code timeout}. */
    static PluginRegistry load(Path pluginsDir, PluginPolicy policy, java.time.Duration timeout) {
        return new PluginRegistry(new PluginLoader(PluginLoader.class.getClassLoader(), timeout).loadAll(pluginsDir, policy));
    }

    /** Loud warnings about plugins that loaded but should not be trusted blindly. */
    public List<String> warnings() {
        return statuses.stream().filter(s -> s.warning() != null).map(s -> s.source() + ": " + s.warning()).toList();
    }

    /** Every plugin (built-ins first) with its providers or its error. */
    public List<PluginStatus> statuses() {
        return statuses;
    }

    public List<LoadedProvider> providers(ProviderKind kind) {
        return List.copyOf(byName.get(kind).values());
    }

    public List<String> names(ProviderKind kind) {
        return List.copyOf(byName.get(kind).keySet());
    }

    /**
     * The provider of that kind and name; the error lists the names available. Names are frozen at
     * discovery, and a built-in's name is reserved here too: only a built-in answers to it.
     */
    public LoadedProvider require(ProviderKind kind, String name) {
        LoadedProvider p = byName.get(kind).get(name);
        if (p == null) {
            throw new ExfaceganException(unknownMessage(kind, name));
        }
        if (!p.source().isBuiltIn() && builtInNames.contains(name)) {
            throw new ExfaceganException(kind.label() + " \"" + name + "\" of " + p.source() + " uses a built-in's name");
        }
        return p;
    }

    /** Every built-in's name, of any kind. */
    private final java.util.Set<String> builtInNames = new java.util.HashSet<>();

    public String unknownMessage(ProviderKind kind, String name) {
        List<String> names = names(kind);
        String known = kind == ProviderKind.RUNTIME ? EngineModule.noteOnName(name) : "";
        return "unknown " + kind.label() + " \"" + name + "\"; available: "
                + (names.isEmpty() ? "none (is the plugins folder right?)" : String.join(", ", names)) + known;
    }

    /** Marks every plugin that shares a provider name with another (of the same kind) as failed. */
    private static List<PluginStatus> resolveDuplicates(List<PluginStatus> loaded) {
        Map<String, List<PluginStatus>> owners = new LinkedHashMap<>();
        for (PluginStatus s : loaded) {
            for (LoadedProvider p : s.providers()) {
                owners.computeIfAbsent(p.kind().label() + " \"" + p.name() + "\"", k -> new ArrayList<>()).add(s);
            }
        }
        Map<PluginStatus, List<String>> clashes = new LinkedHashMap<>();
        Map<String, String> builtInNames = new LinkedHashMap<>();
        for (PluginStatus s : loaded) {
            if (s.source().isBuiltIn()) {
                s.providers().forEach(p -> builtInNames.putIfAbsent(p.name(), p.kind().label()));
            }
        }
        for (PluginStatus s : loaded) {
            if (s.source().isBuiltIn()) {
                continue;
            }
            for (LoadedProvider p : s.providers()) {
                String kind = builtInNames.get(p.name());
                if (kind != null && !kind.equals(p.kind().label())) {
                    clashes.computeIfAbsent(s, k -> new ArrayList<>()).add(p.kind().label() + " name \"" + p.name()
                            + "\" is reserved: the built-in " + kind + " is called so");
                }
                // an engine the build left out keeps its name: a plugin by that name would read as the engine
                EngineModule.named(p.name()).filter(e -> kind == null).ifPresent(e -> clashes.computeIfAbsent(s,
                        k -> new ArrayList<>()).add(p.kind().label() + " name \"" + p.name() + "\" is reserved for the engine module "
                                + e.module() + ", which this build left out"));
            }
        }
        owners.forEach((key, list) -> {
            if (list.size() < 2) {
                return;
            }
            boolean builtIn = list.get(0).source().isBuiltIn();
            String where = list.stream().map(s -> s.source().toString()).collect(Collectors.joining(" and "));
            for (PluginStatus s : list) {
                if (builtIn && s.source().isBuiltIn()) {
                    continue; // a built-in keeps its name; the plugins that clash with it are refused
                }
                clashes.computeIfAbsent(s, k -> new ArrayList<>()).add("duplicate " + key + " in " + where);
            }
        });
        if (clashes.isEmpty()) {
            return Collections.unmodifiableList(new ArrayList<>(loaded));
        }
        List<PluginStatus> out = new ArrayList<>();
        for (PluginStatus s : loaded) {
            List<String> c = clashes.get(s);
            out.add(c == null ? s : new PluginStatus(s.source(), List.of(), String.join("; ", c), s.warning()));
        }
        return Collections.unmodifiableList(out);
    }
}
