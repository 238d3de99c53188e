package org.exfacegan.api.recognizer;

import org.exfacegan.api.image.ImageBatch;

/** An open face recogniser: aligns faces in whole images and embeds them. */
public interface Recognizer extends AutoCloseable {
    /** Length of an embedding. */
    int embeddingSize();

    /** Embeds every image; faces that cannot be found are reported as rejected, never mis-cropped. */
    Embeddings embed(ImageBatch images);

    /**
     * The crops the recogniser embeds (aligned faces at its input size), so that datasets hold
     * exactly what it saw; a rejected image's crop is black. Recognisers that do not align
     * return the images unchanged.
     */
    default ImageBatch align(ImageBatch images) {
        return images;
    }

    @Override
    void close();
}
