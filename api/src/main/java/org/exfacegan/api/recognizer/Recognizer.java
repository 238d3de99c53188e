package org.exfacegan.api.recognizer;

import org.exfacegan.api.image.ImageBatch;

/** An open face recogniser: aligns faces in whole images and embeds them. */
public interface Recognizer extends AutoCloseable {
    /** Length of an embedding. */
    int embeddingSize();

    /** Embeds every image; faces that cannot be found are reported as rejected, never mis-cropped. */
    Embeddings embed(ImageBatch images);

    @Override
    void close();
}
