package org.exfacegan.training.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.training.config.TrainingConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our TorchScript networks against independent torch.nn versions written from the published
 * descriptions (src/test/resources/python/reference_nets.py): the state_dict must load into the
 * reference with every name and shape, and both must compute the same outputs (inference and
 * training mode) and gradients. Needs a python3 with torch (Debian: apt-get install -y python3-torch);
 * skipped, saying so, without one.
 */
class ReferenceNetworksTest {
    @TempDir
    static Path dir;
    static String python;

    @BeforeAll
    static void findTorch() {
        for (String p : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process proc = new ProcessBuilder(p, "-c", "import torch").redirectErrorStream(true).start();
                proc.getInputStream().readAllBytes();
                if (proc.waitFor() == 0) {
                    python = p;
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // try the next
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"iresnet18, 0.125, 64, 1", "iresnet18, 0.125, 64, 2", "iresnet34, 0.0625, 32, 1", "iresnet50, 0.0625, 512, 1",
        "mobilefacenet, 0.25, 128, 1"})
    void matchesAnIndependentPytorchImplementation(String type, double width, int embedding, int stem) throws Exception {
        Assumptions.assumeTrue(python != null, "skipped: no python3 with torch here (Debian: apt-get install -y python3-torch)");
        Path script = dir.resolve("reference_nets.py");
        if (!Files.exists(script)) {
            try (InputStream in = ReferenceNetworksTest.class.getResourceAsStream("/python/reference_nets.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        Path model = Files.write(dir.resolve(type + stem + ".pt"),
                Networks.archive(Networks.build(new TrainingConfig.Network(type, width, embedding, 0.0, stem), 5), embedding));
        Process p = new ProcessBuilder(python, script.toString(), model.toString(), type, Double.toString(width),
                Integer.toString(embedding), Integer.toString(stem)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        JsonNode r = ConfigLoader.MAPPER.readTree(out.substring(out.lastIndexOf('\n') + 1));
        double scale = r.get("scale").asDouble();
        System.out.printf("%s x%s stem %d vs torch.nn reference: max |diff| inference %.2e, training %.2e, gradients %.2e "
                + "(outputs up to %.2f), %d parameters%n", type, width, stem, r.get("eval").asDouble(), r.get("train").asDouble(),
                r.get("grad").asDouble(), scale, r.get("parameters").asLong());
        assertTrue(r.get("eval").asDouble() <= 1e-5 * Math.max(1, scale), out);
        assertTrue(r.get("train").asDouble() <= 1e-5 * Math.max(1, scale), out);
        assertTrue(r.get("grad").asDouble() <= 1e-4, out);
        assertEquals(type.startsWith("iresnet") ? "[\"features.weight\"]" : "[]", r.get("frozen").toString());
        long expected = Networks.parameterCount(Networks.build(new TrainingConfig.Network(type, width, embedding, 0.0, stem), 5));
        assertEquals(expected, r.get("parameters").asLong());
    }
}
