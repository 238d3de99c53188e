package org.exfacegan.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.exfacegan.api.ApiVersion;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.JsonReader;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.Provider;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.BackboneProvider;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance tests every GAN backbone plugin runs (subclass it in the plugin's tests). Each test
 * writes a {@link TinyGan} with the backbone's exact I/O layout, described in the plugin's own
 * descriptor format ({@link #writeModel}), and opens it through the real host. Plugins that read
 * the shared descriptor format of docs/backbones/descriptor.md run {@link GanDescriptorConformanceSuite}.
 */
@SuppressWarnings("unchecked")
public abstract class BackboneConformanceSuite {
    @TempDir
    protected Path dir;

    /** The plugin's provider. */
    protected abstract BackboneProvider provider();

    /** The host's model service (the runner's DefaultModelHost). */
    protected abstract ModelHost modelHost();

    /** The host's JSON binding for plugin files (the runner's PluginJson.READER). */
    protected abstract JsonReader jsonReader();

    /** The tiny model layout of this backbone. */
    protected abstract TinyGan.Spec spec();

    /** The provider's settings record with these values. */
    protected abstract Object settings(double psi, int cutoff, String latentSpace);

    /** The provider's settings bound from a JSON object by the host's config mapper; throws on bad input. */
    protected abstract Object bindSettings(String json) throws Exception;

    /** The truncation cutoff the provider uses when a config gives none. */
    protected abstract int defaultCutoff();

    /** Folder with mapping.pt and synthesis.pt of {@link #spec()} (tools/fixtures/tiny_gan_torchscript.py), or null. */
    protected Path torchScriptFixtures() {
        return null;
    }

    protected TinyGan gan() {
        return new TinyGan(spec());
    }

    protected Backbone open(Path descriptor, Object settings, ModelOptions options) {
        return provider().open(new PluginContext(descriptor, settings, modelHost(), options, jsonReader()));
    }

    protected Backbone open(Path descriptor, double psi, int cutoff, String space) {
        return open(descriptor, settings(psi, cutoff, space), new ModelOptions(null, "cpu", 3, 1));
    }

    /**
     * Writes the tiny model's files into {@code folder} and its descriptor in the plugin's format;
     * returns the descriptor. The default writes the shared format of docs/backbones/descriptor.md.
     * The generic tests use only the plain and the ground-truth options.
     */
    protected Path writeModel(Path folder, TinyGan.Options o) {
        return gan().writeAll(folder, o);
    }

    protected Path model(TinyGan.Options o) {
        return writeModel(dir.resolve("m" + System.nanoTime()), o);
    }

    protected int numWs() {
        return spec().numWs();
    }

    @Test
    void settingsBindWithTheirDefaults() throws Exception {
        Object z = bindSettings("{\"latent_space\": \"z\"}");
        assertEquals(settings(0.7, defaultCutoff(), "z"), z);
        assertEquals(z, bindSettings("{\"truncation_psi\": 0.7, \"latent_space\": \"z\"}"));
        assertEquals(settings(0.7, defaultCutoff(), "w"), bindSettings("{}"));
        Exception bad = assertThrows(Exception.class, () -> bindSettings("{\"latent_space\": \"x\"}"));
        assertTrue(String.valueOf(bad.getMessage()).contains("latent_space"), bad.getMessage());
        assertThrows(Exception.class, () -> bindSettings("{\"psi\": 0.5}"));
    }

    @Test
    void providerDescribesItself() {
        BackboneProvider p = provider();
        assertEquals(p.name(), Provider.checkName(p.name()));
        assertEquals(spec().backbone(), p.name());
        assertEquals(ApiVersion.CURRENT, p.apiVersion());
        assertTrue(p.settingsType().isRecord(), "settings type must be a record: " + p.settingsType());
        assertTrue(p.settingsType().isInstance(settings(0.5, 2, "w")));
    }

    @Test
    void layoutFollowsTheDescriptor() {
        TinyGan.Spec s = spec();
        int[] item = s.components() > 0 ? new int[] {s.components(), s.zDim()} : new int[] {s.zDim()};
        int[] wItem = s.components() > 0 ? new int[] {s.components(), s.wDim()} : new int[] {s.wDim()};
        Path d = model(new TinyGan.Options());
        try (Backbone w = open(d, 0.7, 8, "w"); Backbone z = open(d, 0.7, 8, "z")) {
            LatentLayout l = w.layout();
            assertArrayEquals(item, l.zShape());
            assertArrayEquals(wItem, l.wShape());
            assertEquals(s.numWs(), l.numWs());
            assertEquals(s.resolution(), l.resolution());
            assertEquals("w", l.fitSpace());
            assertEquals(Arrays.stream(wItem).reduce(1, (a, b) -> a * b), l.fitDim());
            assertEquals("z", z.layout().fitSpace());
            assertEquals(Arrays.stream(item).reduce(1, (a, b) -> a * b), z.layout().fitDim());
        }
    }

    @Test
    void samplingIsDeterministicPerSeedAndIndex() {
        try (Backbone b = open(model(new TinyGan.Options()), 1, 0, "w")) {
            FloatTensor all = b.sampleZ(42, 0, 7);
            assertArrayEquals(all.data(), b.sampleZ(42, 0, 7).data());
            FloatTensor middle = b.sampleZ(42, 3, 2);
            assertArrayEquals(all.slice(3, 5).data(), middle.data(), "samples depend on (seed, index) only");
            assertFalse(Arrays.equals(all.data(), b.sampleZ(43, 0, 7).data()), "another seed gives other samples");
            assertFalse(Arrays.equals(all.slice(0, 1).data(), all.slice(1, 2).data()));
            long[] expected = new long[b.layout().zShape().length + 1];
            expected[0] = 7;
            System.arraycopy(Arrays.stream(b.layout().zShape()).asLongStream().toArray(), 0, expected, 1, expected.length - 1);
            assertArrayEquals(expected, all.shape());
            float[] many = b.sampleZ(7, 1000, 4000).data();
            double mean = 0;
            double sq = 0;
            for (float v : many) {
                mean += v;
                sq += (double) v * v;
            }
            mean /= many.length;
            double std = Math.sqrt(sq / many.length - mean * mean);
            assertEquals(0, mean, 0.02, "z is standard normal (mean)");
            assertEquals(1, std, 0.02, "z is standard normal (std)");
        }
    }

    @Test
    void mappingMatchesTheModelAndIsBatchInvariant() {
        TinyGan g = gan();
        try (Backbone b = open(model(new TinyGan.Options()), 1, 0, "w")) {
            FloatTensor z = b.sampleZ(5, 0, 5);
            FloatTensor w = b.map(z);
            assertArrayEquals(g.map(z.data(), 5), w.data(), 1e-5f);
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(w.slice(i, i + 1).data(), b.map(z.slice(i, i + 1)).data(), 1e-6f);
            }
            assertThrows(ExfaceganException.class, () -> b.map(FloatTensor.of(new float[3], 1, 3)));
        }
    }

    @Test
    void truncationWithPsiOneIsIdentity() {
        try (Backbone b = open(model(new TinyGan.Options()), 1, 8, "w")) {
            FloatTensor w = b.map(b.sampleZ(1, 0, 3));
            FloatTensor plus = b.truncate(w);
            float[] expected = broadcast(w.data(), 3);
            assertArrayEquals(expected, plus.data(), 0f);
            assertEquals(w.rank() + 1, plus.rank());
            assertEquals(numWs(), plus.dim(plus.rank() - 2));
        }
    }

    @Test
    void truncationWithPsiZeroGivesWAvg() {
        TinyGan g = gan();
        try (Backbone b = open(model(new TinyGan.Options()), 0, numWs(), "w")) {
            FloatTensor plus = b.truncate(b.map(b.sampleZ(2, 0, 4)));
            assertArrayEquals(broadcast(repeat(g.wAvg(), 4), 4), plus.data(), 0f);
        }
    }

    @Test
    void truncationRespectsTheCutoffAndPerComponentMeans() {
        TinyGan g = gan();
        double psi = 0.5;
        int cutoff = 2;
        try (Backbone b = open(model(new TinyGan.Options()), psi, cutoff, "w")) {
            FloatTensor w = b.map(b.sampleZ(3, 0, 2));
            float[] plus = b.truncate(w).data();
            float[] raw = broadcast(w.data(), 2);
            float[] avg = g.wAvg();
            int d = spec().wDim();
            int c = Math.max(1, spec().components());
            for (int nc = 0; nc < 2 * c; nc++) {
                for (int l = 0; l < numWs(); l++) {
                    for (int j = 0; j < d; j++) {
                        int i = (nc * numWs() + l) * d + j;
                        float a = avg[(nc % c) * d + j];
                        float expected = l < cutoff ? (float) (a + psi * (raw[i] - a)) : raw[i];
                        assertEquals(expected, plus[i], 1e-6f, "component " + (nc % c) + " layer " + l + " dim " + j);
                    }
                }
            }
            // a cutoff past num_ws truncates every copy, as slicing does in the official code
            try (Backbone all = open(model(new TinyGan.Options()), psi, numWs() + 5, "w")) {
                float[] p = all.truncate(w).data();
                for (int i = 0; i < p.length; i++) {
                    int comp = (i / (d * numWs())) % c;
                    float a = avg[comp * d + i % d];
                    assertEquals((float) (a + psi * (raw[i] - a)), p[i], 1e-6f);
                }
            }
        }
    }

    @Test
    void truncationAcceptsWPlusDirectly() {
        try (Backbone b = open(model(new TinyGan.Options()), 0, 1, "w")) {
            int size = spec().wPlusSize();
            float[] distinct = new float[2 * size];
            for (int i = 0; i < distinct.length; i++) {
                distinct[i] = (float) Math.sin(i);
            }
            long[] shape = b.truncate(b.map(b.sampleZ(0, 0, 2))).shape();
            FloatTensor out = b.truncate(new FloatTensor(shape, distinct.clone()));
            assertArrayEquals(shape, out.shape());
            int d = spec().wDim();
            float[] avg = gan().wAvg();
            int c = Math.max(1, spec().components());
            for (int i = 0; i < distinct.length; i++) {
                int layer = (i / d) % numWs();
                int comp = (i / (d * numWs())) % c;
                assertEquals(layer < 1 ? avg[comp * d + i % d] : distinct[i], out.data()[i], 0f);
            }
            assertThrows(ExfaceganException.class, () -> b.truncate(FloatTensor.of(new float[6], 2, 3)));
        }
    }

    @Test
    void synthesisGivesRgbImagesOfTheModel() {
        TinyGan g = gan();
        try (Backbone b = open(model(new TinyGan.Options()), 0.7, 8, "w")) {
            FloatTensor plus = b.truncate(b.map(b.sampleZ(11, 0, 3)));
            ImageBatch img = b.synthesize(plus);
            int r = spec().resolution();
            assertEquals(3, img.count());
            assertEquals(r, img.height());
            assertEquals(r, img.width());
            float[] x = g.synthesize(plus.data(), 3);
            int[] seen = new int[256];
            for (int n = 0; n < 3; n++) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < r; y++) {
                        for (int xx = 0; xx < r; xx++) {
                            float v = x[((n * 3 + c) * r + y) * r + xx];
                            int expected = Math.max(0, Math.min(255, (int) Math.floor(v * 127.5 + 128)));
                            int actual = img.get(n, y, xx, c);
                            seen[actual]++;
                            assertTrue(Math.abs(expected - actual) <= 1, "pixel " + n + "," + y + "," + xx + "," + c
                                    + ": expected " + expected + " got " + actual);
                        }
                    }
                }
            }
            assertTrue(Arrays.stream(seen).filter(k -> k > 0).count() > 10, "images use many grey levels");
        }
    }

    @Test
    void renderIsMapTruncateSynthesizeInBothFitSpaces() {
        Path d = model(new TinyGan.Options());
        try (Backbone w = open(d, 0.6, 2, "w"); Backbone z = open(d, 0.6, 2, "z")) {
            FloatTensor zs = w.sampleZ(3, 0, 4);
            FloatTensor ws = w.map(zs);
            ImageBatch direct = w.synthesize(w.truncate(ws));
            FloatTensor fitW = w.fitLatents(zs, ws);
            assertArrayEquals(new long[] {4, w.layout().fitDim()}, fitW.shape());
            assertArrayEquals(ws.data(), fitW.data(), 0f);
            assertArrayEquals(direct.rgb(), w.render(fitW).rgb());
            FloatTensor fitZ = z.fitLatents(zs, ws);
            assertArrayEquals(new long[] {4, z.layout().fitDim()}, fitZ.shape());
            assertArrayEquals(zs.data(), fitZ.data(), 0f);
            assertArrayEquals(direct.rgb(), z.render(fitZ).rgb());
            assertThrows(ExfaceganException.class, () -> w.render(FloatTensor.of(new float[3], 1, 3)));
        }
    }

    @Test
    void renderingIsBatchSizeInvariant() {
        Path d = model(new TinyGan.Options());
        try (Backbone big = open(d, settings(0.7, 8, "w"), new ModelOptions(null, "cpu", 16, 1));
                Backbone small = open(d, settings(0.7, 8, "w"), new ModelOptions(null, "cpu", 2, 1))) {
            FloatTensor fit = big.fitLatents(big.sampleZ(4, 0, 5), big.map(big.sampleZ(4, 0, 5)));
            byte[] all = big.render(fit).rgb();
            assertArrayEquals(all, small.render(fit).rgb());
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(big.render(fit.slice(i, i + 1)).rgb(), Arrays.copyOfRange(all, i * (all.length / 5),
                        (i + 1) * (all.length / 5)), "sample " + i + " alone");
            }
            assertEquals(0, big.render(fit.slice(0, 0)).count());
        }
    }

    @Test
    void staticBatchModelsArePadded() {
        int sb = spec().staticBatch();
        assumeTrue(sb > 0, "this backbone's tiny model has a dynamic batch");
        Path d = model(new TinyGan.Options());
        try (Backbone b = open(d, 0.7, 8, "w")) {
            FloatTensor fit = b.fitLatents(null, b.map(b.sampleZ(8, 0, sb + 1)));
            ImageBatch img = b.render(fit);
            assertEquals(sb + 1, img.count());
            assertArrayEquals(b.render(fit.slice(sb, sb + 1)).rgb(), img.image(sb).rgb());
        }
    }

    @Test
    void groundTruthOutputIsOptional() {
        TinyGan g = gan();
        try (Backbone plain = open(model(new TinyGan.Options()), 0.7, 8, "w")) {
            assertFalse(plain.hasGroundTruth());
            assertThrows(UnsupportedOperationException.class, () -> plain.groundTruth(FloatTensor.of(new float[0], 0, 1)));
        }
        try (Backbone b = open(model(new TinyGan.Options().groundTruth()), 0.7, 8, "w")) {
            assertTrue(b.hasGroundTruth());
            FloatTensor w = b.map(b.sampleZ(6, 0, 3));
            FloatTensor truth = b.groundTruth(b.fitLatents(null, w));
            assertArrayEquals(new long[] {3, TinyGan.IDENTITY_DIM}, truth.shape());
            assertArrayEquals(g.identity(b.truncate(w).data(), 3), truth.data(), 1e-4f);
        }
    }

    @Test
    void nuisanceOutputIsOptionalAndSeparateFromIdentity() {
        TinyGan g = gan();
        try (Backbone plain = open(model(new TinyGan.Options().groundTruth()), 0.7, 8, "w")) {
            assertFalse(plain.hasNuisance());
            assertThrows(UnsupportedOperationException.class, () -> plain.nuisance(FloatTensor.of(new float[0], 0, 1)));
        }
        try (Backbone b = open(model(new TinyGan.Options().groundTruth().nuisance()), 0.7, 8, "w")) {
            assertTrue(b.hasNuisance());
            FloatTensor w = b.map(b.sampleZ(6, 0, 3));
            FloatTensor fit = b.fitLatents(null, w);
            FloatTensor nuisance = b.nuisance(fit);
            assertArrayEquals(new long[] {3, TinyGan.NUISANCE_DIM}, nuisance.shape());
            assertArrayEquals(g.nuisance(b.truncate(w).data(), 3), nuisance.data(), 1e-4f);
            assertArrayEquals(g.identity(b.truncate(w).data(), 3), b.groundTruth(fit).data(), 1e-4f);
        }
    }

    @Test
    void useAfterCloseThrows() {
        Backbone b = open(model(new TinyGan.Options()), 0.7, 8, "w");
        FloatTensor z = b.sampleZ(1, 0, 1);
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> b.map(z));
        assertThrows(IllegalStateException.class, () -> b.sampleZ(1, 0, 1));
    }

    /** w [n, C, D] flat -> w+ [n, C, L, D] flat. */
    protected float[] broadcast(float[] w, int n) {
        int d = spec().wDim();
        int c = Math.max(1, spec().components());
        float[] out = new float[n * c * numWs() * d];
        for (int nc = 0; nc < n * c; nc++) {
            for (int l = 0; l < numWs(); l++) {
                System.arraycopy(w, nc * d, out, (nc * numWs() + l) * d, d);
            }
        }
        return out;
    }

    protected static float[] repeat(float[] v, int times) {
        float[] out = new float[v.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(v, 0, out, i * v.length, v.length);
        }
        return out;
    }
}
