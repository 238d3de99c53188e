package org.exfacegan.runner.cli;

import java.nio.file.Path;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.ResolvedComponent;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.run.Pipeline;

/** What the embed and verify commands share: opening the recogniser of a config. */
final class RecognizerTool {
    private RecognizerTool() {}

    /** The recogniser of {@code config} (an experiment config or just a recognizer section), opened. */
    static Recognizer open(PluginRegistry registry, Path config) {
        ResolvedComponent c = new ConfigLoader(registry).loadRecognizer(config);
        return Pipeline.openRecognizer(c, Pipeline.modelHost(registry));
    }

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * (double) b[i];
        }
        return s;
    }
}
