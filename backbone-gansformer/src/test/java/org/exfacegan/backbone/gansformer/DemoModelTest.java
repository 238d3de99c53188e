package org.exfacegan.backbone.gansformer;

import org.exfacegan.api.testing.DemoWorldCheck;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;

/** The committed demo model models/demo/gansformer opens through this plugin on ONNX Runtime and renders faces. */
class DemoModelTest {
    @Test
    void opensAndRendersTheDemoModel() {
        DemoWorldCheck.rendersFaces(new GansformerProvider(), DefaultModelHost.fromServiceLoader(), PluginJson.READER, 64, 64, 10);
    }
}
