package org.exfacegan.runner.testing;

import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.recognizer.RecognizerProvider;

/**
 * The tiny world's recogniser: reads the identity factors back from the pixels and normalises
 * them, ignoring the nuisance. With {@code reject_all} it finds no face at all. System property
 * tinyface.sizeAfter makes embeddings one element too long from that embed call on.
 */
public final class TinyFaceProvider implements RecognizerProvider {
    public record Settings(Boolean rejectAll) {
        public Settings {
            rejectAll = rejectAll != null && rejectAll;
        }
    }

    @Override
    public String name() {
        return "tiny-face";
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
        return "tiny ground-truth world recogniser";
    }

    @Override
    public Class<?> settingsType() {
        return Settings.class;
    }

    @Override
    public Recognizer open(PluginContext context) {
        boolean rejectAll = context.settings() != null && context.settings(Settings.class).rejectAll();
        int sizeAfter = Integer.getInteger("tinyface.sizeAfter", 0);
        return new Recognizer() {
            private int embeds;

            @Override
            public int embeddingSize() {
                return TinyWorld.ID_DIM;
            }

            @Override
            public Embeddings embed(ImageBatch images) {
                embeds++;
                int extra = sizeAfter > 0 && embeds >= sizeAfter ? 1 : 0;
                int n = images.count();
                float[][] v = new float[n][];
                String[] rejected = new String[n];
                for (int i = 0; i < n; i++) {
                    if (rejectAll) {
                        rejected[i] = "no face found";
                        continue;
                    }
                    float[] e = new float[TinyWorld.ID_DIM + extra];
                    double norm = 0;
                    for (int k = 0; k < TinyWorld.ID_DIM; k++) {
                        e[k] = (float) TinyWorld.decode(images.get(i, 0, k / 3, k % 3));
                        norm += e[k] * e[k];
                    }
                    for (int k = 0; k < TinyWorld.ID_DIM; k++) {
                        e[k] /= (float) Math.sqrt(norm);
                    }
                    v[i] = e;
                }
                return new Embeddings(v, rejected, images); // nothing to align: the images are the crops
            }

            @Override
            public void close() {}
        };
    }
}
