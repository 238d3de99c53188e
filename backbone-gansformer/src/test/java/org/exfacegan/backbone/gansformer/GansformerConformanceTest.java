package org.exfacegan.backbone.gansformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.nio.file.Path;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.testing.BackboneConformanceSuite;
import org.exfacegan.api.testing.TinyGan;
import org.exfacegan.runner.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;

class GansformerConformanceTest extends BackboneConformanceSuite {
    private static final ModelHost HOST = DefaultModelHost.fromServiceLoader();

    @Override
    protected BackboneProvider provider() {
        return new GansformerProvider();
    }

    @Override
    protected ModelHost modelHost() {
        return HOST;
    }

    @Override
    protected TinyGan.Spec spec() {
        return new TinyGan.Spec("gansformer", 3, 4, 4, 3, 4, 2);
    }

    @Override
    protected Object settings(double psi, int cutoff, String latentSpace) {
        return new GansformerSettings(psi, cutoff, latentSpace);
    }

    @Override
    protected Path torchScriptFixtures() {
        return Path.of("src/test/resources/tiny-gan-torchscript");
    }

    @Test
    void settingsBindWithDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        GansformerSettings s = json.readValue("{\"latent_space\": \"z\"}", GansformerSettings.class);
        assertEquals(0.7, s.truncationPsi());
        assertEquals(Integer.MAX_VALUE, s.truncationCutoff());
        assertEquals("z", s.latentSpace());
        assertEquals(s, json.readValue("{\"truncation_psi\": 0.7, \"latent_space\": \"z\"}", GansformerSettings.class));
        assertEquals(GansformerSettings.DEFAULTS, json.readValue("{}", GansformerSettings.class));
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> json.readValue("{\"latent_space\": \"x\"}", GansformerSettings.class));
        assertTrue(e.getMessage().contains("latent_space"), e.getMessage());
        assertThrows(Exception.class, () -> json.readValue("{\"psi\": 0.5}", GansformerSettings.class));
    }
}
