package org.exfacegan.runner.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.npy.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 10-fold protocol against our independent NumPy implementation (test resource verification_protocol.py) on the same scores. */
class VerificationProtocolTest {
    @TempDir
    Path dir;

    /** LFW-sized, overlapping genuine and impostor scores: every figure equals NumPy's. */
    @Test
    void matchesNumpyOnOverlappingScores() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 6000;
        double[] s = new double[n];
        boolean[] same = new boolean[n];
        for (int k = 0; k < n; k++) {
            same[k] = (k / 300) % 2 == 0; // LFW's layout: blocks of 300 same, 300 different
            s[k] = clamp(same[k] ? 0.45 + 0.2 * rnd.nextGaussian() : 0.05 + 0.15 * rnd.nextGaussian());
        }
        compare(s, same, 10);
    }

    /**
     * The awkward cases: a pair count that does not divide into the folds, scores that sit exactly
     * on the threshold grid (ties), repeated scores, faces not found (-infinity), shuffled labels.
     */
    @Test
    void matchesNumpyOnTiesUnevenFoldsAndMissingFaces() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 1237;
        double[] s = new double[n];
        boolean[] same = new boolean[n];
        for (int k = 0; k < n; k++) {
            same[k] = rnd.nextInt(3) == 0;
            int grid = rnd.nextInt(400);
            s[k] = switch (rnd.nextInt(4)) {
                case 0 -> 1 - grid * 0.005; // distance 2 - 2s lands on (or a rounding step off) the grid
                case 1 -> Math.round((same[k] ? 0.5 : 0.2) * 20 + rnd.nextGaussian() * 3) / 20.0; // many ties
                case 2 -> k % 50 == 0 ? VerificationProtocol.NO_FACE : clamp(same[k] ? 0.6 : 0.1 + 0.3 * rnd.nextGaussian());
                default -> clamp((same[k] ? 0.3 : 0.0) + 0.3 * rnd.nextGaussian());
            };
        }
        compare(s, same, 10);
        compare(s, same, 7);
    }

    /** Perfectly separated scores: 100% in every fold, EER 0, TAR 1. */
    @Test
    void separableScoresGiveFullAccuracy() throws Exception {
        int n = 200;
        double[] s = new double[n];
        boolean[] same = new boolean[n];
        for (int k = 0; k < n; k++) {
            same[k] = k % 2 == 0;
            s[k] = same[k] ? 0.8 + k * 1e-4 : -0.1 + k * 1e-4;
        }
        VerificationResult r = compare(s, same, 10);
        assertEquals(1.0, r.accuracyMean(), 0);
        assertEquals(0.0, r.accuracyStd(), 0);
        assertEquals(0.0, r.eer(), 0);
        assertEquals(1.0, r.tar(), 0);
        assertFalse(r.farResolved(), "100 impostor pairs cannot resolve FAR 1e-3");
    }

    @Test
    void refusesWhatTheProtocolCannotMeasure() {
        ExfaceganException few = assertThrows(ExfaceganException.class,
                () -> VerificationProtocol.evaluate(new double[] {0.5, 0.1, 0.2}, new boolean[] {true, false, true}, 10));
        assertTrue(few.getMessage().contains("at least 10 pairs"), few.getMessage());
        ExfaceganException oneSided = assertThrows(ExfaceganException.class,
                () -> VerificationProtocol.evaluate(new double[20], new boolean[20], 10));
        assertTrue(oneSided.getMessage().contains("all different-identity pairs"), oneSided.getMessage());
    }

    private VerificationResult compare(double[] s, boolean[] same, int folds) throws Exception {
        Path scores = dir.resolve("s.npy");
        Path labels = dir.resolve("l.npy");
        Npy.write(scores, s, s.length);
        Npy.write(labels, same, same.length);
        JsonNode py = ConfigLoader.MAPPER.readTree(Python.run(dir, "verification_protocol.py", scores.toString(),
                labels.toString(), Integer.toString(folds)));
        VerificationResult r = VerificationProtocol.evaluate(s, same, folds);
        System.out.printf("protocol on %d pairs, %d folds: accuracy %.6f +- %.6f, TAR@FAR=1e-3 %.4f, EER %.4f (NumPy: %.6f, %.4f, %.4f)%n",
                s.length, folds, r.accuracyMean(), r.accuracyStd(), r.tar(), r.eer(), py.get("accuracy_mean").asDouble(),
                py.get("tar").asDouble(), py.get("eer").asDouble());
        assertArrayEquals(doubles(py.get("fold_accuracies")), r.foldAccuracies(), 1e-15);
        assertArrayEquals(doubles(py.get("fold_thresholds")), r.foldThresholds(), 1e-15);
        assertEquals(py.get("accuracy_mean").asDouble(), r.accuracyMean(), 1e-15);
        assertEquals(py.get("accuracy_std").asDouble(), r.accuracyStd(), 1e-12);
        assertEquals(py.get("tar").asDouble(), r.tar(), 1e-15);
        assertEquals(number(py.get("tar_threshold")), r.tarThreshold(), 0);
        assertEquals(py.get("eer").asDouble(), r.eer(), 1e-15);
        assertEquals(number(py.get("eer_threshold")), r.eerThreshold(), 0);
        assertEquals(folds, r.folds());
        return r;
    }

    /** A number, or "inf" / "-inf" as the script writes infinities. */
    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText().replace("inf", "Infinity")) : n.asDouble();
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
