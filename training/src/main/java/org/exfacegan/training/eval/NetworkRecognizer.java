package org.exfacegan.training.eval;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.training.data.Batches;

/**
 * The network being trained as a {@link Recognizer} of aligned crops, so that the evaluation runs
 * the runner's verification code (flip fusion, scoring, protocol) exactly as {@code exfacegan
 * evaluate} does for a saved model. It does not find faces: images must be aligned 112x112 crops.
 */
final class NetworkRecognizer implements Recognizer {
    private final Embedder network;
    private final int embeddingSize;

    NetworkRecognizer(Embedder network, int embeddingSize) {
        this.network = network;
        this.embeddingSize = embeddingSize;
    }

    @Override
    public int embeddingSize() {
        return embeddingSize;
    }

    @Override
    public Embeddings embed(ImageBatch images) {
        if (images.width() != Batches.SIDE || images.height() != Batches.SIDE) {
            throw new ExfaceganException("the image is " + images.width() + "x" + images.height() + "; the training's evaluation "
                    + "embeds aligned " + Batches.SIDE + "x" + Batches.SIDE + " crops (insightface .bin files, or pairs lists "
                    + "of aligned crops)");
        }
        float[][] vectors = network.embed(images.rgb(), images.count());
        return new Embeddings(vectors, new String[images.count()], images);
    }

    @Override
    public void close() {
        // the network belongs to the training
    }
}
