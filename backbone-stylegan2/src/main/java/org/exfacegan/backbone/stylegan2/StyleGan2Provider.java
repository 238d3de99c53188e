package org.exfacegan.backbone.stylegan2;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;

/** Provider of the stylegan2 plugin. */
public final class StyleGan2Provider implements BackboneProvider {
    @Override
    public String name() {
        return "stylegan2";
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
        return "StyleGAN2 / StyleGAN2-ADA generator (mapping + synthesis graphs)";
    }

    @Override
    public Class<?> settingsType() {
        return StyleGan2Settings.class;
    }

    @Override
    public Backbone open(PluginContext context) {
        StyleGan2Settings s = context.settings() == null ? StyleGan2Settings.DEFAULTS : context.settings(StyleGan2Settings.class);
        return StyleGan2Backbone.open(context, name(), s);
    }
}
