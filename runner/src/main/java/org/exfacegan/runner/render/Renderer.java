package org.exfacegan.runner.render;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;

/** Images of a backbone from probe indices or from latents, by the same calls a run makes. */
public final class Renderer {
    private final Backbone backbone;

    public Renderer(Backbone backbone) {
        this.backbone = backbone;
    }

    /**
     * Probes {@code indices} of the z stream {@code stream}: z, mapped, rendered from the fit-space
     * latents, as the probe stage of a run renders them (so index i is the run's probe i).
     */
    public ImageBatch probes(long stream, long[] indices) {
        int zSize = backbone.layout().zSize();
        float[] z = new float[indices.length * zSize];
        long[] shape = null;
        for (int k = 0; k < indices.length; k++) {
            FloatTensor one = backbone.sampleZ(stream, indices[k], 1); // [1, z shape...]
            System.arraycopy(one.data(), 0, z, k * zSize, zSize);
            shape = one.shape();
        }
        shape[0] = indices.length;
        return counted(fromZ(FloatTensor.of(z, shape)), indices.length);
    }

    /** Rows of a latent file, by its space: z as probes are, w truncated, w+ as it is, fit as a run renders it. */
    public ImageBatch latents(LatentFile file, long[] rows) {
        FloatTensor t = file.take(rows);
        return counted(switch (file.space()) {
            case Z -> fromZ(t);
            case W -> backbone.synthesize(backbone.truncate(t));
            case W_PLUS -> backbone.synthesize(t);
            case FIT -> backbone.render(t);
        }, rows.length);
    }

    private static ImageBatch counted(ImageBatch images, int expected) {
        if (images == null || images.count() != expected) {
            throw new ExfaceganException("backbone returned " + (images == null ? "no" : images.count()) + " images for "
                    + expected + " latents");
        }
        return images;
    }

    private ImageBatch fromZ(FloatTensor z) {
        return backbone.render(backbone.fitLatents(z, backbone.map(z)));
    }
}
