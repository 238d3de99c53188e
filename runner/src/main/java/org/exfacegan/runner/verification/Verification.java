package org.exfacegan.runner.verification;

import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.runner.progress.Progress;

/** A recogniser on a benchmark: embed (flip-fused), score every pair by cosine, run the protocol. */
public final class Verification {
    /**
     * @param flip  flip fusion (insightface's evaluation: on)
     * @param folds folds of the accuracy protocol (insightface: 10)
     */
    public record Options(boolean flip, int folds) {
        public static final Options INSIGHTFACE = new Options(true, VerificationProtocol.FOLDS);
    }

    private Verification() {}

    public static BenchmarkResult run(Recognizer recognizer, Benchmark benchmark, Options options, Progress progress) {
        return run(recognizer, "", benchmark, options, progress);
    }

    /** As {@link #run(Recognizer, Benchmark, Options, Progress)}; {@code model} names the recogniser in progress output. */
    public static BenchmarkResult run(Recognizer recognizer, String model, Benchmark benchmark, Options options,
            Progress progress) {
        long start = System.nanoTime();
        BenchmarkEmbeddings e = BenchmarkEmbedder.embed(recognizer, benchmark, options.flip(), progress,
                (model.isEmpty() ? "embed" : model + " on") + " " + benchmark.name());
        return score(benchmark, e, options).withSeconds((System.nanoTime() - start) / 1e9);
    }

    /**
     * The protocol on embeddings made already ({@link BenchmarkEmbedder#embed}, with flip fusion as
     * {@code options} says); {@code seconds} is left 0.
     */
    public static BenchmarkResult score(Benchmark benchmark, BenchmarkEmbeddings e, Options options) {
        if (e.count() != benchmark.images().size()) {
            throw new IllegalArgumentException(e.count() + " embeddings for " + benchmark.images().size() + " images");
        }
        int noFaceImages = 0;
        for (int i = 0; i < e.count(); i++) {
            noFaceImages += e.isRejected(i) ? 1 : 0;
        }
        double[] scores = new double[benchmark.pairs()];
        int noFacePairs = 0;
        for (int k = 0; k < scores.length; k++) {
            float[] a = e.vectors()[benchmark.first()[k]];
            float[] b = e.vectors()[benchmark.second()[k]];
            if (a == null || b == null) {
                scores[k] = VerificationProtocol.NO_FACE;
                noFacePairs++;
            } else {
                scores[k] = cosine(a, b, benchmark, k);
            }
        }
        VerificationResult v = VerificationProtocol.evaluate(scores, benchmark.same(), options.folds());
        return new BenchmarkResult(benchmark.name(), benchmark.source().toString(), benchmark.aligned(), options.flip(),
                e.count(), noFaceImages, noFacePairs, v, 0);
    }

    private static double cosine(float[] a, float[] b, Benchmark benchmark, int pair) {
        if (a.length != b.length) {
            throw new ExfaceganException("benchmark " + benchmark.name() + ", pair " + pair + ": the recogniser gave "
                    + "embeddings of " + a.length + " and " + b.length + " values");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
