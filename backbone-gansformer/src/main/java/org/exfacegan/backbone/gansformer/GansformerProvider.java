package org.exfacegan.backbone.gansformer;

import org.exfacegan.api.ApiVersion;
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
    public Class<?> settingsType() {
        return GansformerSettings.class;
    }

    @Override
    public Backbone open(PluginContext context) {
        GansformerSettings s = context.settings() == null ? GansformerSettings.DEFAULTS : context.settings(GansformerSettings.class);
        return GansformerBackbone.open(context, name(), s);
    }
}
