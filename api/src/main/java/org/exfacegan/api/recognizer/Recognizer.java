package org.exfacegan.api.recognizer;

import java.util.ArrayList;
import java.util.List;
import org.exfacegan.api.image.ImageBatch;

/**
 * An open face recogniser: aligns faces in whole images and embeds them. Calls keep no state
 * between them: each returns everything it computed about its batch.
 */
public interface Recognizer extends AutoCloseable {
    /** Length of an embedding. */
    int embeddingSize();

    /**
     * Embeds every image, returning with the embeddings the crops it embedded ({@link Embeddings#crops()});
     * faces that cannot be found are reported as rejected, never mis-cropped.
     */
    Embeddings embed(ImageBatch images);

    /**
     * Embeds crops that {@link #embed} returned (e.g. the images of a written dataset) without
     * aligning them again, so a dataset can be measured by what its files hold. Recognisers that
     * do not align embed them as whole images.
     */
    default Embeddings embedAligned(ImageBatch crops) {
        return embed(crops);
    }

    /**
     * Every face of every image (for tools that look at group photos): per image, the faces found,
     * empty when none. Recognisers without a detector return the one face {@link #embed} finds,
     * with the whole image as its box and no landmarks.
     */
    default List<List<DetectedFace>> embedFaces(ImageBatch images) {
        Embeddings e = embed(images);
        List<List<DetectedFace>> out = new ArrayList<>();
        for (int i = 0; i < e.count(); i++) {
            out.add(e.isRejected(i) ? List.of() : List.of(new DetectedFace(
                    new float[] {0, 0, images.width(), images.height()}, 1f, null, e.vectors()[i])));
        }
        return out;
    }

    @Override
    void close();
}
