package org.exfacegan.recognizer.arcface;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.recognizer.RecognizerProvider;

/** Provider of the arcface plugin. */
public final class ArcFaceProvider implements RecognizerProvider {
    @Override
    public String name() {
        return "arcface";
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
        return "ArcFace-protocol face recogniser (112x112 aligned RGB, L2-normalised embedding)";
    }

    @Override
    public Class<?> settingsType() {
        return ArcFaceSettings.class;
    }

    @Override
    public Recognizer open(PluginContext context) {
        return ArcFaceRecognizer.open(context);
    }
}
