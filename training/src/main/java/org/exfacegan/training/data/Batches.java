package org.exfacegan.training.data;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.runner.pipeline.Seeds;

/**
 * The training batches: epoch e visits the training samples in a permutation drawn from (seed, e),
 * {@code batchSize} at a time (an incomplete last batch is dropped); each image is augmented with
 * a stream drawn from (seed, e, sample). A batch is therefore a function of (epoch, step), whatever
 * was run before: a resumed training reads exactly the batches it would have read. The next batch
 * is decoded on a background thread while the current one trains.
 */
public final class Batches implements AutoCloseable {
    public static final int SIDE = 112;
    private static final long ORDER = 0x0BDE5L;
    private static final long AUGMENT = 0xA0C5L;

    /** Network input (NCHW, (x - 127.5) / 127.5, RGB) and class labels. */
    public record Batch(int epoch, int step, float[] input, long[] labels) {}

    private final FaceDataset data;
    private final IdentitySplit split;
    private final long seed;
    private final int batchSize;
    private final Augmenter augmenter;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "exfacegan-batches");
        t.setDaemon(true);
        return t;
    });
    private Future<Batch> next;

    public Batches(FaceDataset data, IdentitySplit split, long seed, int batchSize, Augmenter augmenter) {
        this.data = data;
        this.split = split;
        this.seed = seed;
        this.batchSize = batchSize;
        this.augmenter = augmenter;
    }

    public int stepsPerEpoch() {
        return split.trainSamples().length / batchSize;
    }

    /** Batch (epoch, step); starts loading the one after it. */
    public Batch get(int epoch, int step) {
        Batch b;
        try {
            b = next != null ? next.get() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExfaceganException("interrupted while loading training images", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new ExfaceganException(e.getCause().toString(), e.getCause());
        }
        if (b == null || b.epoch() != epoch || b.step() != step) {
            b = load(epoch, step);
        }
        int nextStep = step + 1 < stepsPerEpoch() ? step + 1 : 0;
        int nextEpoch = step + 1 < stepsPerEpoch() ? epoch : epoch + 1;
        next = loader.submit(() -> load(nextEpoch, nextStep));
        return b;
    }

    Batch load(int epoch, int step) {
        int[] order = order(epoch);
        float[] input = new float[batchSize * 3 * SIDE * SIDE];
        long[] labels = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            int k = order[step * batchSize + i];
            int sample = split.trainSamples()[k];
            byte[] rgb = image(data, sample);
            if (!augmenter.isIdentity()) {
                rgb = augmenter.apply(rgb, SIDE, SIDE, Seeds.random(seed, AUGMENT, epoch, sample));
            }
            toInput(rgb, 0, input, i);
            labels[i] = split.classOf()[k];
        }
        return new Batch(epoch, step, input, labels);
    }

    /** Positions into the training samples, in the order epoch {@code epoch} visits them. */
    int[] order(int epoch) {
        int[] order = new int[split.trainSamples().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = Seeds.random(seed, ORDER, epoch);
        Seeds.shuffle(order, rnd);
        return order;
    }

    /** A sample's image, which must be a 112x112 aligned face. */
    public static byte[] image(FaceDataset data, int sample) {
        ImageBatch img = data.read(sample);
        if (img.height() != SIDE || img.width() != SIDE) {
            throw new ExfaceganException("training image " + data.describe(sample) + " is " + img.width() + "x" + img.height()
                    + "; training needs aligned " + SIDE + "x" + SIDE + " faces (as a run writes them)");
        }
        return img.rgb();
    }

    /**
     * Image {@code index} of an NCHW float batch from the interleaved RGB face at {@code offset},
     * scaled as the arcface plugin feeds it by default: (x - 127.5) / 127.5.
     */
    public static void toInput(byte[] rgb, int offset, float[] input, int index) {
        int plane = SIDE * SIDE;
        int base = index * 3 * plane;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                input[base + c * plane + p] = ((rgb[offset + 3 * p + c] & 0xff) - 127.5f) / 127.5f;
            }
        }
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
