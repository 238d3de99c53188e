package org.exfacegan.backbone.stylegan3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.testing.DemoWorldCheck;
import org.exfacegan.api.testing.TinyGan;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.io.Json;
import org.exfacegan.runtime.DefaultModelHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthesis input's user transform: the matrix gen_images.py sets, and what it does to the demo face. */
class InputTransformTest {
    @TempDir
    Path dir;

    /**
     * float32(numpy.linalg.inv(make_transform(translate, angle))) as NVlabs' gen_images.py computes it,
     * printed by numpy 2.4 (hexadecimal floats) for these cases.
     */
    @Test
    void matrixIsTheInverseGenImagesSets() {
        check(0, 0, 0, "0x1p0 0 0 0 0x1p0 0 0 0 0x1p0");
        check(0.3, 1, 0, "0x1p0 0 -0x1.333334p-2 0 0x1p0 -0x1p0 0 0 0x1p0");
        check(0, 0, 90, "0x1.1a6264p-54 -0x1p0 0 0x1p0 0x1.1a6264p-54 0 0 0 0x1p0");
        check(0.1, -0.2, 33.3, "0x1.abeef2p-1 -0x1.191984p-1 -0x1.8c0d98p-3 0x1.191984p-1 0x1.abeef2p-1 0x1.cbd04ap-4 0 0 0x1p0");
        check(0.25, 0, -45, "0x1.6a09e6p-1 0x1.6a09e6p-1 -0x1.6a09e6p-3 -0x1.6a09e6p-1 0x1.6a09e6p-1 0x1.6a09e6p-3 0 0 0x1p0");
        check(0, 0, 180, "-0x1p0 -0x1.1a6264p-53 0 0x1.1a6264p-53 -0x1p0 0 0 0 0x1p0");
        check(-0.4, 0.05, 270, "-0x1.a79394p-53 0x1p0 -0x1.99999ap-5 -0x1p0 -0x1.a79394p-53 -0x1.99999ap-2 0 0 0x1p0");
        float[] identity = InputTransform.matrix(0, 0, 0);
        for (float v : identity) {
            assertEquals(0, Float.floatToRawIntBits(v) >>> 31, "no -0 in the default matrix: it must leave the image exact");
        }
    }

    private static void check(double tx, double ty, double degrees, String numpy) {
        String[] parts = numpy.split(" ");
        float[] expected = new float[9];
        for (int i = 0; i < 9; i++) {
            expected[i] = Float.parseFloat(parts[i]);
        }
        assertArrayEquals(expected, InputTransform.matrix(tx, ty, degrees), 0f, "translate " + tx + "," + ty + " rotate " + degrees);
    }

    private static Backbone open(Path model, StyleGan3Settings s) {
        return new StyleGan3Provider().open(new PluginContext(model, s, DefaultModelHost.fromServiceLoader(),
                new ModelOptions(null, "cpu", 8, 1), PluginJson.READER));
    }

    private static StyleGan3Settings options(String json) throws Exception {
        return Json.MAPPER.readValue(json, StyleGan3Settings.class);
    }

    /**
     * The demo stylegan3 model takes the transform as an input: rotating by 90 degrees turns the face
     * (each output pixel shows the default image at T p), translating moves it, on 5 faces through a
     * synthesis whose static batch is 4 (the transform goes whole to every padded batch).
     */
    @Test
    void rotateAndTranslateMoveTheDemoFace() throws Exception {
        Path model = DemoWorldCheck.descriptor("stylegan3");
        try (Backbone plain = open(model, StyleGan3Settings.DEFAULTS);
                Backbone turned = open(model, options("{\"rotate\": 90}"));
                Backbone moved = open(model, options("{\"translate\": [0.25, 0]}"))) {
            FloatTensor z = plain.sampleZ(5, 0, 5);
            FloatTensor fit = plain.fitLatents(z, plain.map(z));
            ImageBatch a = plain.render(fit);
            ImageBatch rot = turned.render(fit);
            ImageBatch shift = moved.render(fit);
            int r = a.width();
            double rotated = 0;
            double unrotated = 0;
            double shifted = 0;
            long count = 0;
            long shiftCount = 0;
            for (int n = 0; n < 5; n++) {
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        for (int c = 0; c < 3; c++) {
                            // T = [[0, -1], [1, 0]]: output (x, y) shows the default image at (-y, x), centred coordinates
                            rotated += Math.abs(rot.get(n, i, j, c) - a.get(n, j, r - 1 - i, c));
                            unrotated += Math.abs(rot.get(n, i, j, c) - a.get(n, i, j, c));
                            count++;
                            if (j >= r / 4) { // content moved right by a quarter of the width
                                shifted += Math.abs(shift.get(n, i, j, c) - a.get(n, i, j - r / 4, c));
                                shiftCount++;
                            }
                        }
                    }
                }
            }
            System.out.printf("stylegan3 demo, rotate 90: mean |pixel - rotated default| %.3f, vs unrotated default %.1f; "
                    + "translate [0.25, 0]: mean |pixel - shifted default| %.3f%n", rotated / count, unrotated / count, shifted / shiftCount);
            assertTrue(rotated / count < 0.5, "the rotated face is the default face turned by 90 degrees: " + rotated / count);
            assertTrue(unrotated / count > 10, "and it is visibly turned: " + unrotated / count);
            assertTrue(shifted / shiftCount < 0.5, "the translated face is the default face moved right: " + shifted / shiftCount);
            assertTrue(plain.hasGroundTruth());
            assertArrayEquals(plain.groundTruth(fit).data(), turned.groundTruth(fit).data(), 0f, "identity does not turn");
        }
    }

    /** A transform needs a synthesis that takes it: otherwise the options are an error naming option and descriptor. */
    @Test
    void transformOptionsNeedADescriptorWithATransformInput() throws Exception {
        Path tiny = new TinyGan(new TinyGan.Spec("stylegan3", 0, 6, 5, 5, 4, 2)).writeAll(dir.resolve("tiny"), new TinyGan.Options());
        try (Backbone b = open(tiny, options("{\"rotate\": 0, \"translate\": [0, 0]}"))) {
            assertEquals(4, b.layout().resolution(), "the defaults, given explicitly, are fine");
        }
        for (String json : new String[] {"{\"rotate\": 10}", "{\"translate\": [0, 0.5]}"}) {
            ExfaceganException e = assertThrows(ExfaceganException.class, () -> open(tiny, options(json)));
            String option = json.contains("rotate") ? "rotate" : "translate";
            assertTrue(e.getMessage().startsWith("backbone option " + option) && e.getMessage().contains(tiny.toString())
                    && e.getMessage().contains("synthesis.transform_input"), e.getMessage());
        }
        Exception bad = assertThrows(Exception.class, () -> options("{\"translate\": [1]}"));
        assertTrue(bad.getMessage().contains("translate"), bad.getMessage());
    }
}
