package org.exfacegan.runner.testing;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;

/** A built-in backbone for host tests: it only carries settings, it cannot open a model. */
public final class TestGanProvider implements BackboneProvider {
    /** Settings with one required and one optional field. */
    public record Settings(@JsonProperty(required = true) Double truncationPsi, Integer truncationCutoff) {
        public Settings {
            if (truncationPsi != null && (truncationPsi < 0 || truncationPsi > 1)) {
                throw new IllegalArgumentException("truncation_psi must be in [0, 1], got " + truncationPsi);
            }
            if (truncationCutoff == null) {
                truncationCutoff = 8;
            }
        }
    }

    @Override
    public String name() {
        return "test-gan";
    }

    @Override
    public String version() {
        return "0.0.1";
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "host test backbone";
    }

    @Override
    public Class<?> settingsType() {
        return Settings.class;
    }

    @Override
    public Backbone open(PluginContext context) {
        throw new UnsupportedOperationException("test-gan opens no models");
    }
}
