package org.exfacegan.training.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One training of a face recogniser ({@code exfacegan train CONFIG.json}); every section but the
 * four required fields is optional, with the defaults its record gives. See docs/training.md.
 *
 * @param name            a label for reports
 * @param seed            weights, identity split, data order, augmentation and dropout derive from it
 * @param output          output folder, relative to the config file
 * @param data            a finished run folder, a folder of identity folders, or a RecordIO {@code .rec} file
 * @param network         the network trained
 * @param loss            the margin loss
 * @param optimizer       SGD settings
 * @param schedule        epochs and learning-rate schedule
 * @param batchSize       images per step (default 64)
 * @param augment         augmentation of training images
 * @param holdout         identities kept out of training and verified on every epoch
 * @param benchmarks      verification benchmarks evaluated on every epoch (.bin files, pairs lists of aligned crops,
 *                        or folders of them; relative to the config file)
 * @param device          "cpu" (default) or "cuda:N"
 * @param threads         libtorch intra-op threads; 0 lets it decide
 * @param checkpointEvery steps between checkpoints (default 500; one is also written after every epoch)
 */
public record TrainingConfig(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Long seed,
        @JsonProperty(required = true) String output,
        @JsonProperty(required = true) String data,
        Network network,
        Loss loss,
        Optimizer optimizer,
        Schedule schedule,
        Integer batchSize,
        Augment augment,
        Holdout holdout,
        List<String> benchmarks,
        String device,
        Integer threads,
        Integer checkpointEvery) {

    public TrainingConfig {
        network = network == null ? new Network(null, null, null, null, null) : network;
        loss = loss == null ? new Loss(null, null, null) : loss;
        optimizer = optimizer == null ? new Optimizer(null, null, null) : optimizer;
        schedule = schedule == null ? new Schedule(null, null, null, null, null) : schedule;
        batchSize = batchSize == null ? 64 : batchSize;
        augment = augment == null ? new Augment(null, null) : augment;
        holdout = holdout == null ? new Holdout(null, null) : holdout;
        benchmarks = benchmarks == null ? List.of() : List.copyOf(benchmarks);
        device = device == null ? "cpu" : device;
        threads = threads == null ? 0 : threads;
        checkpointEvery = checkpointEvery == null ? 500 : checkpointEvery;
    }

    /**
     * @param type          "iresnet50" (default), "iresnet34", "iresnet18" or "mobilefacenet"
     * @param width         channel multiplier (1.0: the published widths; 0.125 trains in minutes on 2 cores)
     * @param embeddingSize embedding dimensions (512)
     * @param dropout       dropout before the iResNet's FC layer (0)
     * @param stemStride    iResNet: stride of the first conv, 1 (insightface) or 2 (every map halved: a quarter of the work)
     */
    public record Network(String type, Double width, Integer embeddingSize, Double dropout, Integer stemStride) {
        public Network {
            stemStride = stemStride == null ? 1 : stemStride;
            type = type == null ? "iresnet50" : type;
            width = width == null ? 1.0 : width;
            embeddingSize = embeddingSize == null ? 512 : embeddingSize;
            dropout = dropout == null ? 0.0 : dropout;
        }
    }

    /**
     * @param type "cosface" (default; s 64, m 0.35) or "arcface" (s 64, m 0.5)
     * @param s    logit scale
     * @param m    margin: subtracted from the target cosine (cosface) or added to its angle (arcface)
     */
    public record Loss(String type, Double s, Double m) {
        public Loss {
            type = type == null ? "cosface" : type;
            s = s == null ? 64.0 : s;
            m = m == null ? ("arcface".equals(type) ? 0.5 : 0.35) : m;
        }
    }

    /**
     * @param lr          peak learning rate (0.1)
     * @param momentum    (0.9)
     * @param weightDecay L2 weight decay on every trained tensor (5e-4)
     */
    public record Optimizer(Double lr, Double momentum, Double weightDecay) {
        public Optimizer {
            lr = lr == null ? 0.1 : lr;
            momentum = momentum == null ? 0.9 : momentum;
            weightDecay = weightDecay == null ? 5e-4 : weightDecay;
        }
    }

    /**
     * @param epochs       passes over the training identities' images (20)
     * @param type         "step" (default: lr x gamma at each milestone) or "cosine" (to 0 at the end)
     * @param warmupEpochs linear warm-up from 0 over this many epochs (0)
     * @param milestones   step: epochs at which lr is multiplied by gamma (default: at 50%, 75% and 90% of the epochs)
     * @param gamma        step: factor (0.1)
     */
    public record Schedule(Integer epochs, String type, Double warmupEpochs, List<Integer> milestones, Double gamma) {
        public Schedule {
            epochs = epochs == null ? 20 : epochs;
            type = type == null ? "step" : type;
            warmupEpochs = warmupEpochs == null ? 0.0 : warmupEpochs;
            gamma = gamma == null ? 0.1 : gamma;
        }

        /** The milestones given, else those at 50%, 75% and 90% of the epochs. */
        public List<Integer> stepMilestones() {
            return milestones != null ? milestones : java.util.stream.IntStream.of(epochs / 2, epochs * 3 / 4, epochs * 9 / 10)
                    .filter(e -> e > 0).distinct().boxed().toList();
        }
    }

    /**
     * @param flip        mirror each image with probability 1/2 (true)
     * @param randAugment RandAugment-style operations per image (null: none)
     */
    public record Augment(Boolean flip, RandAugment randAugment) {
        public Augment {
            flip = flip == null ? Boolean.TRUE : flip;
        }
    }

    /**
     * @param ops       operations applied per image, each drawn from the list (2)
     * @param magnitude strength 0-30 on torchvision's scale (9; the ExFaceGAN line of work used 4 ops at 16)
     */
    public record RandAugment(Integer ops, Integer magnitude) {
        public RandAugment {
            ops = ops == null ? 2 : ops;
            magnitude = magnitude == null ? 9 : magnitude;
        }
    }

    /**
     * @param identities identities kept out of training, verified every epoch (default: 10%, at most 200; 0: none)
     * @param pairs      verification pairs drawn from them, half genuine, half impostor (2,000)
     */
    public record Holdout(Integer identities, Integer pairs) {
        public Holdout {
            pairs = pairs == null ? 2000 : pairs;
        }
    }
}
