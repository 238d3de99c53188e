package org.exfacegan.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateTest {
    @Test
    void warmupThenSteps() {
        LearningRate lr = new LearningRate(0.1, "step", 1, List.of(3, 5), 0.1, 10, 6);
        assertEquals(0.01, lr.at(0), 1e-12); // step 1 of 10 of the warm-up
        assertEquals(0.05, lr.at(4), 1e-12);
        assertEquals(0.1, lr.at(9), 1e-12);
        assertEquals(0.1, lr.at(29), 1e-12);
        assertEquals(0.01, lr.at(30), 1e-12); // epoch 3
        assertEquals(0.001, lr.at(59), 1e-12);
    }

    @Test
    void cosineFallsToZeroAtTheEnd() {
        LearningRate lr = new LearningRate(0.2, "cosine", 0, List.of(), 0.1, 10, 4);
        assertEquals(0.2, lr.at(0), 1e-12);
        assertEquals(0.1, lr.at(20), 1e-12);
        assertEquals(0.2 * 0.5 * (1 + Math.cos(Math.PI * 39 / 40)), lr.at(39), 1e-12);
        LearningRate warm = new LearningRate(0.2, "cosine", 2, List.of(), 0.1, 10, 4);
        assertEquals(0.2, warm.at(20), 1e-12); // the cosine starts after the warm-up
        assertEquals(0.1, warm.at(30), 1e-12);
    }
}
