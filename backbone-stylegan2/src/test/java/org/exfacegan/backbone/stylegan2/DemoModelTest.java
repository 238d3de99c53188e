package org.exfacegan.backbone.stylegan2;

import org.exfacegan.api.testing.DemoWorldCheck;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;

/** The committed demo model models/demo/stylegan2 opens through this plugin on ONNX Runtime and renders faces. */
class DemoModelTest {
    @Test
    void opensAndRendersTheDemoModel() {
        DemoWorldCheck.rendersFaces(new StyleGan2Provider(), DefaultModelHost.fromServiceLoader(), PluginJson.READER, 128, 32, 10);
    }
}
