package org.exfacegan.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.exfacegan.runner.progress.Progress;
import org.exfacegan.runner.run.Pipeline;
import org.exfacegan.runner.run.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the demo gancontrol model, whose identity is drawn from its "id" sub-latent alone: the
 * boundaries fitted to the recogniser's labels lie mostly in that sub-latent, as the run summary
 * reports (a check that needs no ground truth, so it applies to real GAN-Control models too).
 */
class GanControlRunTest {
    @TempDir
    Path dir;

    @Test
    void boundaryNormalsLieMostlyInTheIdentitySubLatent() throws IOException {
        for (String space : List.of("w", "z")) {
            Path model = DemoModels.dir().resolve("gancontrol/model.json");
            Path config = Files.writeString(dir.resolve(space + ".json"), "{\"name\": \"gancontrol-" + space + "\", \"seed\": 1, "
                    + "\"output\": \"run-" + space + "\", \"backbone\": {\"type\": \"gancontrol\", \"model\": \"" + model + "\", "
                    + "\"options\": {\"latent_space\": \"" + space + "\"}}, \"recognizer\": {\"type\": \"arcface\", \"model\": \""
                    + DemoModels.dir().resolve("recognizer/demo_face.onnx") + "\"}, \"probes\": 600, \"identities\": 8, "
                    + "\"samples_per_identity\": 4}");
            PluginRegistry registry = PluginRegistry.load(dir.resolve("no-plugins")); // providers on the class path
            RunSummary s = new Pipeline(new ConfigLoader(registry).load(config), registry, Progress.QUIET).run();
            Map<String, Double> share = s.normalShareBySubLatent();
            System.out.println("demo gancontrol, fitted in " + space + ": mean share of the boundary normals' squared length per "
                    + "sub-latent " + share + " (the id sub-latent is 16 of 32 dimensions: 0.5 by chance)");
            assertEquals(List.of("id", "expression", "orientation", "gamma", "other"), List.copyOf(share.keySet()));
            assertEquals(1.0, share.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
            assertTrue(share.get("id") > 0.8, "normals lie mostly in the identity sub-latent: " + share);
            String summary = Files.readString(dir.resolve("run-" + space).resolve("summary.json"));
            assertTrue(summary.contains("\"normal_share_by_sub_latent\""), summary);
        }
    }
}
