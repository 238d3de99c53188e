package org.exfacegan.training.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Without a terminal, progress is plain lines: step, epoch, loss, accuracy, images/s, ETA. */
class TrainProgressTest {
    @Test
    void plainLinesCarryLossAccuracyRateAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TrainProgress p = TrainProgress.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            p.start(10, 4, 32);
            p.step(5, 1, 12.5, 0.25); // within the interval: quiet
            p.info("epoch 1/2: loss 12.500");
            p.step(10, 2, 3.25, 0.875); // the last step always prints
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("\n", lines));
        assertEquals("epoch 1/2: loss 12.500", lines[0]);
        assertTrue(lines[1].matches("train: step 10/10 \\(100%\\), epoch 2, loss 3\\.250, acc 0\\.875, [0-9.]+ images/s, ETA 0:00:00"),
                lines[1]);
    }
}
