package org.exfacegan.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress for logs: whole lines at most every interval, with counts, rate and ETA; no carriage returns. */
class LineProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong();

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void at(double seconds) {
        now.set((long) (seconds * 1e9));
    }

    @Test
    void aLineAtStartAtMostOnePerIntervalAndOneAtTheEnd() {
        Progress p = new LineProgress(out, 10_000_000_000L, now::get);
        try (Progress.Stage s = p.stage("probe set", 1000, 0, "faces")) {
            for (int i = 1; i <= 100; i++) { // 10 faces every 0.5 s: 50 s in all
                at(i * 0.5);
                s.step(10);
            }
        }
        List<String> l = lines();
        assertEquals("probe set: 0/1000 faces", l.get(0));
        assertEquals("probe set: 200/1000 faces (20.0%), 20.0 faces/s, ETA 0:00:40", l.get(1));
        assertEquals("probe set: 400/1000 faces (40.0%), 20.0 faces/s, ETA 0:00:30", l.get(2));
        assertEquals("probe set: 1000/1000 faces (100.0%), 20.0 faces/s, took 0:00:50", l.get(l.size() - 1));
        assertEquals(6, l.size(), l.toString()); // start, 4 periodic (10, 20, 30, 40 s), end
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void aMessageFollowsTheCountUntilReplaced() {
        Progress p = new LineProgress(out, 10_000_000_000L, now::get);
        try (Progress.Stage s = p.stage("train", 100, 0, "images")) {
            s.message("epoch 1, loss 3.500");
            at(10);
            s.step(50);
            s.message("epoch 2, loss 1.250");
            at(20);
            s.step(50);
        }
        assertEquals(List.of("train: 0/100 images", "train: 50/100 images (50.0%), 5.0 images/s, ETA 0:00:10; epoch 1, loss 3.500",
                "train: 100/100 images (100.0%), 5.0 images/s, took 0:00:20; epoch 2, loss 1.250"), lines());
    }

    @Test
    void aResumedStageCountsItsRateFromThisSessionAndAStoppedOneSaysSo() {
        Progress p = new LineProgress(out, 10_000_000_000L, now::get);
        Progress.Stage s = p.stage("identities", 100, 60, "ids");
        at(12);
        s.step(6);
        at(20);
        s.close();
        s.close(); // once only
        assertEquals(List.of("identities: 60/100 ids (resumed)",
                "identities: 66/100 ids (66.0%), 0.5 ids/s, ETA 0:01:08",
                "identities: 66/100 ids (66.0%), 0.3 ids/s, stopped after 0:00:20"), lines());
    }

    @Test
    void terminalDevicesAreRecognised() {
        assertTrue(Progress.isTerminalDevice("/dev/pts/3"));
        assertTrue(Progress.isTerminalDevice("/dev/tty1"));
        assertFalse(Progress.isTerminalDevice("pipe:[12345]"));
        assertFalse(Progress.isTerminalDevice("/tmp/run.log"));
        assertFalse(Progress.isTerminalDevice("/dev/null"));
    }

    @Test
    void theLaunchersWordDecides() {
        String before = System.getProperty("exfacegan.stderr.terminal");
        try {
            System.setProperty("exfacegan.stderr.terminal", "true");
            assertTrue(Progress.stderrIsTerminal());
            System.setProperty("exfacegan.stderr.terminal", "false");
            assertFalse(Progress.stderrIsTerminal());
            System.clearProperty("exfacegan.stderr.terminal");
            assertFalse(Progress.stderrIsTerminal(), "the test JVM's stderr is a pipe or a file");
        } finally {
            if (before != null) {
                System.setProperty("exfacegan.stderr.terminal", before);
            }
        }
    }
}
