package org.exfacegan.runner.plugin;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.Provider;
import org.exfacegan.api.ProviderKind;

/**
 * A provider that loaded cleanly, with where it came from and what it said about itself when it
 * was discovered ({@link ProviderInfo}, frozen: the host never asks the plugin again). Calls into
 * it run with the thread context class loader set to the plugin's loader (libraries inside
 * plugins rely on it).
 */
public record LoadedProvider(ProviderKind kind, Provider provider, ProviderInfo info, PluginSource source, ClassLoader loader) {

    public String name() {
        return info.name();
    }

    public String version() {
        return info.version();
    }

    public String apiVersion() {
        return info.apiVersion();
    }

    public String description() {
        return info.description();
    }

    public Class<?> settingsType() {
        return info.settingsType();
    }

    /** Runs {@code action} with the plugin's class loader as context class loader. */
    public <T> T call(Callable<T> action) {
        return withContextLoader(loader, action);
    }

    /**
     * Wraps an object the plugin returned (a Backbone, a Recognizer) so that every call through
     * {@code type} also runs with the plugin's context class loader.
     */
    public <T> T wrap(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> name() + ":" + target;
                };
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(loader);
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    static <T> T withContextLoader(ClassLoader loader, Callable<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ExfaceganException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
