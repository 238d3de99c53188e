package org.exfacegan.api.backbone;

import org.exfacegan.api.PluginContext;
import org.exfacegan.api.Provider;

/** Discovered through ServiceLoader; opens a GAN backbone from a model descriptor. */
public interface BackboneProvider extends Provider {
    /**
     * Opens the backbone described by {@code context.model()} (a descriptor JSON). Throws
     * ExfaceganException naming the descriptor field at fault when it is bad or inconsistent.
     */
    Backbone open(PluginContext context);
}
