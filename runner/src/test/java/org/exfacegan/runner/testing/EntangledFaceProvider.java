package org.exfacegan.runner.testing;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.recognizer.RecognizerProvider;

/** The entangled world's recogniser: identity plus a little nuisance, computed from the w an image carries. */
public final class EntangledFaceProvider implements RecognizerProvider {
    @Override
    public String name() {
        return "entangled-face";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public String apiVersion() {
        return ApiVersion.CURRENT;
    }

    @Override
    public String description() {
        return "entangled ground-truth world recogniser";
    }

    @Override
    public Recognizer open(PluginContext context) {
        return new Recognizer() {
            @Override
            public int embeddingSize() {
                return EntangledWorld.ID + 2;
            }

            @Override
            public Embeddings embed(ImageBatch images) {
                float[][] v = new float[images.count()][];
                for (int i = 0; i < v.length; i++) {
                    v[i] = EntangledWorld.embedding(EntangledGanProvider.latent(images, i), 0);
                }
                return new Embeddings(v, new String[v.length], images); // nothing to align: the images are the crops
            }

            @Override
            public void close() {}
        };
    }
}
