package org.exfacegan.backbone.gancontrol;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;

/**
 * The gancontrol plugin: GAN-Control (Shoshan et al., ICCV 2021), a StyleGAN2 whose latent is split
 * into named sub-latents (identity, expression, pose, illumination, age, hair, other). It is the
 * example plugin: written against the api alone, so a new backbone can start from a copy of it.
 *
 * <p>A provider is a cheap factory (no model is read until {@link #open}); the host finds it
 * through META-INF/services/org.exfacegan.api.backbone.BackboneProvider.
 */
public final class GanControlProvider implements BackboneProvider {
    @Override
    public String name() {
        return "gancontrol"; // the "type" of a config's backbone section
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT; // inlined by javac: the api version this plugin was built against
    }

    @Override
    public String description() {
        return "GAN-Control generator (StyleGAN2 with a latent split into named sub-latents)";
    }

    /** The host binds the config's backbone.options to this record (unknown fields are errors). */
    @Override
    public Class<?> settingsType() {
        return GanControlSettings.class;
    }

    @Override
    public Backbone open(PluginContext context) {
        GanControlSettings settings = context.settings() == null ? GanControlSettings.DEFAULTS
                : context.settings(GanControlSettings.class);
        return GanControlBackbone.open(context, settings);
    }
}
