package org.exfacegan.backbone.stylegan3;

import java.nio.file.Path;
import org.exfacegan.api.JsonReader;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.backbone.LatentSpace;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.testing.GanDescriptorConformanceSuite;
import org.exfacegan.api.testing.TinyGan;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;

class StyleGan3ConformanceTest extends GanDescriptorConformanceSuite {
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
    protected JsonReader jsonReader() {
        return PluginJson.READER;
    }

    @Override
    protected String architectureField() {
        return "/synthesis/transform_input";
    }

    @Override
    protected TinyGan.Spec spec() {
        return new TinyGan.Spec("stylegan3", 0, 6, 5, 5, 4, 2);
    }

    @Override
    protected Object settings(double psi, int cutoff, String latentSpace) {
        return new StyleGan3Settings(psi, cutoff, LatentSpace.of(latentSpace));
    }

    @Override
    protected Path torchScriptFixtures() {
        return Path.of("src/test/resources/tiny-gan-torchscript");
    }

    @Override
    protected Object bindSettings(String json) throws Exception {
        return Json.MAPPER.readValue(json, StyleGan3Settings.class); // as the host binds config options
    }

    @Override
    protected int defaultCutoff() {
        return 8;
    }
}
