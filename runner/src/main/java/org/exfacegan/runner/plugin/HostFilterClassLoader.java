package org.exfacegan.runner.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Parent of every plugin class loader: the platform classes plus an allow-list of host packages
 * (our api and the annotations configs bind with). Everything else of the host, runner internals
 * and its libraries included, stays invisible to plugins.
 */
final class HostFilterClassLoader extends ClassLoader {
    /** Package prefixes a plugin may see from the host. */
    static final List<String> EXPORTED_PACKAGES = List.of(
            "org.exfacegan.api.",
            "com.fasterxml.jackson.annotation.");

    private final ClassLoader host;

    HostFilterClassLoader(ClassLoader host) {
        super("exfacegan-host-filter", ClassLoader.getPlatformClassLoader());
        this.host = host;
    }

    static boolean isExported(String className) {
        for (String prefix : EXPORTED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExportedResource(String name) {
        return isExported(name.replace('/', '.'));
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isExported(name)) {
            return host.loadClass(name);
        }
        return super.loadClass(name, resolve); // platform only
    }

    @Override
    public URL getResource(String name) {
        return isExportedResource(name) ? host.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return isExportedResource(name) ? host.getResources(name) : Collections.emptyEnumeration();
    }
}
