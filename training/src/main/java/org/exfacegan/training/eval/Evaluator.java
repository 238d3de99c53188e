package org.exfacegan.training.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.verification.AccuracyFigures;
import org.exfacegan.runner.verification.Verification;
import org.exfacegan.runner.verification.VerificationResult;

/**
 * What the training measures after every epoch (and once before the first step, for the untrained
 * network): every evaluation set (held-out identities, benchmarks) by insightface's verification
 * protocol, through the runner's own verification code ({@link Verification}: flip-fused
 * embeddings, 10-fold accuracy, EER), so that a figure here is the figure {@code exfacegan evaluate}
 * gives for the model saved at that epoch.
 */
public final class Evaluator {
    private final List<EvaluationSet> sets;
    private final int embeddingSize;

    public Evaluator(List<EvaluationSet> sets, int embeddingSize) {
        this.sets = List.copyOf(sets);
        this.embeddingSize = embeddingSize;
    }

    public List<EvaluationSet> sets() {
        return sets;
    }

    public boolean isEmpty() {
        return sets.isEmpty();
    }

    /** Figures for the network as it is now, per set name, in the sets' order. */
    public Map<String, AccuracyFigures> evaluate(Embedder network) {
        Map<String, AccuracyFigures> out = new LinkedHashMap<>();
        NetworkRecognizer recognizer = new NetworkRecognizer(network, embeddingSize);
        for (EvaluationSet s : sets) {
            VerificationResult v = Verification.run(recognizer, s.load(), Verification.Options.INSIGHTFACE, Progress.QUIET)
                    .verification();
            out.put(s.name(), AccuracyFigures.of(v));
        }
        return out;
    }
}
