package org.exfacegan.api.recognizer;

import org.exfacegan.api.PluginContext;
import org.exfacegan.api.Provider;

/** Discovered through ServiceLoader; opens a face recogniser. */
public interface RecognizerProvider extends Provider {
    Recognizer open(PluginContext context);
}
