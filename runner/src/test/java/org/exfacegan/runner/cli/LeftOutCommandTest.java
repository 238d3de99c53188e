package org.exfacegan.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The runner's own class path has no training module, as an ONNX-only application has none. */
class LeftOutCommandTest {
    @Test
    void trainWithoutTheTrainingModuleSaysWhichModuleAndHowToBuildIt() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), "train", "examples/train-demo.json");
        assertEquals(Cli.BAD_INPUT, code, err.toString());
        assertEquals("error: exfacegan train needs the training module (it trains on DJL PyTorch), which this build of the "
                + "application does not include (an ONNX-only build, mvn ... -Donnx-only, leaves it out); build it with: "
                + "mvn -q -DskipTests package (docs/training.md)\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void otherUnknownCommandsStillGetPicocliAdvice() {
        StringWriter err = new StringWriter();
        int code = Cli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "trian", "x.json");
        assertEquals(Cli.BAD_INPUT, code);
        assertTrue(err.toString().startsWith("Unmatched arguments from index 0: 'trian'"), err.toString());
    }
}
