package org.exfacegan.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.exfacegan.api.JsonReader;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * Checks a backbone plugin opens its committed demo model (models/demo/NAME/model.json, built by
 * the demo world generator, docs/demo-world.md) with default settings and renders faces with a
 * ground-truth output.
 */
public final class DemoWorldCheck {
    private DemoWorldCheck() {}

    /** The repository root: the nearest folder up from the working directory holding pom.xml and api/. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("pom.xml")) && Files.isDirectory(q.resolve("api"))) {
                return q;
            }
        }
        return p;
    }

    /** models/demo/NAME/model.json. */
    public static Path descriptor(String name) {
        return repositoryRoot().resolve("models").resolve("demo").resolve(name).resolve("model.json");
    }

    /**
     * Opens the demo model of {@code provider} and renders 5 faces (not a multiple of any static batch).
     *
     * @param fitDim the expected fit-space (w) dimension
     * @param truthDim the expected number of true identity factors
     */
    public static void rendersFaces(BackboneProvider provider, ModelHost host, JsonReader json, int resolution, int fitDim,
            int truthDim) {
        Path model = descriptor(provider.name());
        assertTrue(Files.isRegularFile(model), "demo model " + model + " is committed");
        try (Backbone b = provider.open(new PluginContext(model, null, host, ModelOptions.DEFAULT, json))) {
            assertEquals(resolution, b.layout().resolution());
            assertEquals(fitDim, b.layout().fitDim());
            assertTrue(b.hasGroundTruth(), "demo models report true identity factors");
            FloatTensor z = b.sampleZ(7, 0, 5);
            FloatTensor fit = b.fitLatents(z, b.map(z));
            ImageBatch img = b.render(fit);
            assertEquals(5, img.count());
            assertEquals(resolution, img.width());
            assertEquals(resolution, img.height());
            // the background corner and the cheek differ in every image; images differ from each other
            for (int i = 0; i < 5; i++) {
                int corner = img.get(i, resolution / 2, 1, 1);
                int cheekX = (int) (0.36 * resolution);
                int cheekY = (int) (0.63 * resolution);
                assertTrue(img.get(i, cheekY, cheekX, 0) > img.get(i, cheekY, cheekX, 2),
                        provider.name() + " image " + i + ": skin is redder than blue");
                assertTrue(Math.abs(img.get(i, cheekY, cheekX, 1) - corner) + Math.abs(img.get(i, cheekY, cheekX, 0)
                        - img.get(i, resolution / 2, 1, 0)) > 20, provider.name() + " image " + i + ": face vs background");
            }
            assertFalse(Arrays.equals(img.image(0).rgb(), img.image(1).rgb()));
            FloatTensor truth = b.groundTruth(fit);
            assertArrayEquals(new long[] {5, truthDim}, truth.shape());
            // deterministic: the same latents give the same truth and pixels
            assertArrayEquals(truth.data(), b.groundTruth(fit).data());
            assertTrue(b.hasNuisance(), "demo models report true nuisance factors (pose, light, expression)");
            FloatTensor nuisance = b.nuisance(fit);
            assertEquals(5, nuisance.dim(0));
            assertTrue(nuisance.dim(1) > 0, "nuisance factors: " + nuisance.dim(1));
            assertArrayEquals(img.rgb(), b.render(fit).rgb());
        }
    }
}
