package org.exfacegan.backbone.stylegan3;

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

class StyleGan3ConformanceTest extends BackboneConformanceSuite {
    private static final ModelHost HOST = DefaultModelHost.fromServiceLoader();

    @Override
    protected BackboneProvider provider() {
        return new StyleGan3Provider();
    }

    @Override
    protected ModelHost modelHost() {
        return HOST;
    }

    @Override
    protected TinyGan.Spec spec() {
        return new TinyGan.Spec("stylegan3", 0, 6, 5, 5, 4, 2);
    }

    @Override
    protected Object settings(double psi, int cutoff, String latentSpace) {
        return new StyleGan3Settings(psi, cutoff, latentSpace);
    }

    @Override
    protected Path torchScriptFixtures() {
        return Path.of("src/test/resources/tiny-gan-torchscript");
    }

    @Test
    void settingsBindWithDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        StyleGan3Settings s = json.readValue("{\"latent_space\": \"z\"}", StyleGan3Settings.class);
        assertEquals(0.7, s.truncationPsi());
        assertEquals(8, s.truncationCutoff());
        assertEquals("z", s.latentSpace());
        assertEquals(s, json.readValue("{\"truncation_psi\": 0.7, \"latent_space\": \"z\"}", StyleGan3Settings.class));
        assertEquals(StyleGan3Settings.DEFAULTS, json.readValue("{}", StyleGan3Settings.class));
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> json.readValue("{\"latent_space\": \"x\"}", StyleGan3Settings.class));
        assertTrue(e.getMessage().contains("latent_space"), e.getMessage());
        assertThrows(Exception.class, () -> json.readValue("{\"psi\": 0.5}", StyleGan3Settings.class));
    }
}
