package org.exfacegan.runner.testing;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.recognizer.RecognizerProvider;

/** A built-in recogniser for host tests: takes no options and opens no model. */
public final class TestFaceProvider implements RecognizerProvider {
    @Override
    public String name() {
        return "test-face";
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
        return "host test recogniser";
    }

    @Override
    public Recognizer open(PluginContext context) {
        throw new UnsupportedOperationException("test-face opens no models");
    }
}
