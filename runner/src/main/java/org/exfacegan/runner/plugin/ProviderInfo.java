package org.exfacegan.runner.plugin;

import java.util.Set;

/**
 * What a provider said about itself when it was discovered, read once and frozen: a provider
 * whose {@code name()} changed later could take over another's name (a built-in runtime's, and
 * with it every model), so the host never asks again.
 *
 * @param name           the provider's name
 * @param version        its version
 * @param apiVersion     the api it was built against
 * @param description    one line for listings
 * @param settingsType   the record its config options bind to ({@code Void.class}: none)
 * @param fileExtensions for a model runtime, the file endings it opens; empty otherwise
 */
public record ProviderInfo(String name, String version, String apiVersion, String description, Class<?> settingsType,
                           Set<String> fileExtensions) {
    public ProviderInfo {
        fileExtensions = Set.copyOf(fileExtensions);
    }
}
