package org.exfacegan.backbone.stylegan3;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;

/** Provider of the stylegan3 plugin. */
public final class StyleGan3Provider implements BackboneProvider {
    @Override
    public String name() {
        return "stylegan3";
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
        return "StyleGAN3 generator (mapping + static-batch synthesis graphs)";
    }

    @Override
    public Class<?> settingsType() {
        return StyleGan3Settings.class;
    }

    @Override
    public Backbone open(PluginContext context) {
        StyleGan3Settings s = context.settings() == null ? StyleGan3Settings.DEFAULTS : context.settings(StyleGan3Settings.class);
        return StyleGan3Backbone.open(context, name(), s);
    }
}
