package org.exfacegan.api;

import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.recognizer.RecognizerProvider;
import org.exfacegan.api.runtime.ModelRuntimeProvider;

/** The kinds of provider the host discovers, with the SPI interface of each. */
public enum ProviderKind {
    BACKBONE("backbone", BackboneProvider.class),
    RECOGNIZER("recognizer", RecognizerProvider.class),
    RUNTIME("runtime", ModelRuntimeProvider.class);

    private final String label;
    private final Class<? extends Provider> spi;

    ProviderKind(String label, Class<? extends Provider> spi) {
        this.label = label;
        this.spi = spi;
    }

    public String label() {
        return label;
    }

    public Class<? extends Provider> spi() {
        return spi;
    }
}
