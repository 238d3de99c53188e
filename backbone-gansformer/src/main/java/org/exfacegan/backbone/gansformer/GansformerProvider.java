package org.exfacegan.backbone.gansformer;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;

/** Provider of the gansformer plugin. */
public final class GansformerProvider implements BackboneProvider {
    @Override
    public String name() {
        return "gansformer";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "GANsformer generator (k local + 1 global latent components)";
    }

    @Override
    public Backbone open(PluginContext context) {
        throw new ExfaceganException("the gansformer plugin cannot open models yet (model code is not built)");
    }
}
