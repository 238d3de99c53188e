package org.exfacegan.backbone.gancontrol;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * An open GAN-Control generator, run as the two graphs the export script writes:
 * <pre>
 *   mapping    z [n, D] -> w [n, D]       each sub-latent of z through its own MLP to the same place in w
 *   synthesis  w+ [n, L, D] -> [n, 3, R, R] in [-1, 1]   StyleGAN2, with its constant noise
 * </pre>
 * Everything between them is done here: z is drawn per (seed, index), w is copied L times and
 * truncated toward w_avg, images are converted to 8-bit RGB. The layout names the sub-latents, so the
 * host can report how much of each fitted boundary lies in the identity sub-latent.
 */
final class GanControlBackbone implements Backbone {
    private final GanControlModel model;
    private final GanControlSettings settings;
    private final LatentLayout layout;
    private final ModelSession mapping;
    private final ModelSession synthesis;
    private volatile boolean closed;

    private GanControlBackbone(GanControlModel model, GanControlSettings settings, ModelSession mapping, ModelSession synthesis) {
        this.model = model;
        this.settings = settings;
        this.mapping = mapping;
        this.synthesis = synthesis;
        int d = model.latentDim;
        // z and w are split alike, so the sub-latents are the same ranges in either fit space
        this.layout = new LatentLayout(new int[] {d}, new int[] {d}, model.numWs, settings.latentSpace(), model.resolution,
                model.subLatents);
    }

    static GanControlBackbone open(PluginContext context, GanControlSettings settings) {
        GanControlModel model = GanControlModel.read(context);
        // the host picks the runtime by the file's extension and splits calls into the configured batch size
        ModelSession mapping = context.models().open(model.mappingFile, context.options());
        ModelSession synthesis = null;
        try {
            synthesis = context.models().open(model.synthesisFile, context.options());
            int d = model.latentDim;
            int r = model.resolution;
            expect(model, mapping, List.of(new TensorSpec(model.mappingInput, new long[] {-1, d})),
                    List.of(new TensorSpec(model.mappingOutput, new long[] {-1, d})));
            List<TensorSpec> outputs = new java.util.ArrayList<>(List.of(new TensorSpec(model.synthesisOutput, new long[] {-1, 3, r, r})));
            for (String factors : new String[] {model.groundTruthOutput, model.nuisanceOutput}) {
                if (factors != null) {
                    outputs.add(new TensorSpec(factors, new long[] {-1, -1}));
                }
            }
            expect(model, synthesis, List.of(new TensorSpec(model.synthesisInput, new long[] {-1, model.numWs, d})), outputs);
            return new GanControlBackbone(model, settings, mapping, synthesis);
        } catch (RuntimeException e) {
            mapping.close();
            if (synthesis != null) {
                synthesis.close();
            }
            throw e;
        }
    }

    /** The model's inputs and outputs must match the descriptor (a negative size matches anything). */
    private static void expect(GanControlModel model, ModelSession s, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        try {
            s.expect(inputs, outputs);
        } catch (ExfaceganException e) {
            throw new ExfaceganException(e.getMessage() + " (from model descriptor " + model.file + ")", e);
        }
    }

    @Override
    public LatentLayout layout() {
        return layout;
    }

    /**
     * z ~ N(0, I), each sample from its own stream keyed by (seed, index), so any batching gives the
     * same values: SplittableRandom's doubles turned into normals by Box-Muller with StrictMath (the
     * same on every JVM). A SplittableRandom's first value is a strong hash of its seed, so the
     * sample's stream starts at a hash of (hash of seed, index): streams of neighbouring samples are
     * unrelated.
     */
    @Override
    public FloatTensor sampleZ(long seed, long firstIndex, int count) {
        ensureOpen();
        int d = model.latentDim;
        float[] z = new float[Math.multiplyExact(count, d)];
        long key = new SplittableRandom(seed).nextLong();
        for (int i = 0; i < count; i++) {
            SplittableRandom random = new SplittableRandom(new SplittableRandom(key ^ (firstIndex + i)).nextLong());
            for (int j = 0; j < d; j += 2) {
                double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble())); // 1 - u is in (0, 1]
                double angle = 2 * Math.PI * random.nextDouble();
                z[i * d + j] = (float) (radius * StrictMath.cos(angle));
                if (j + 1 < d) {
                    z[i * d + j + 1] = (float) (radius * StrictMath.sin(angle));
                }
            }
        }
        return FloatTensor.of(z, count, d);
    }

    /** z [n, D] -> w [n, D] before truncation. */
    @Override
    public FloatTensor map(FloatTensor z) {
        ensureOpen();
        int n = rows("z", z, model.latentDim);
        if (n == 0) {
            return FloatTensor.of(new float[0], 0, model.latentDim);
        }
        return output(mapping, model.mappingInput, z, model.mappingOutput, n, model.latentDim);
    }

    /**
     * w [n, D] is copied to w+ [n, L, D] (w+ is taken as it is), then the first truncation_cutoff
     * copies are pulled toward w_avg: w+ = w_avg + psi (w+ - w_avg).
     */
    @Override
    public FloatTensor truncate(FloatTensor w) {
        ensureOpen();
        int d = model.latentDim;
        int copies = model.numWs;
        float[] plus;
        int n;
        if (w.rank() == 2) {
            n = rows("w", w, d);
            plus = new float[Math.multiplyExact(n * copies, d)];
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < copies; l++) {
                    System.arraycopy(w.data(), i * d, plus, (i * copies + l) * d, d);
                }
            }
        } else {
            n = rows("w+", w, copies, d);
            plus = w.data().clone();
        }
        float psi = settings.truncationPsi().floatValue();
        int truncated = Math.min(settings.truncationCutoff(), copies);
        if (settings.truncationPsi() != 1.0) {
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < truncated; l++) {
                    int base = (i * copies + l) * d;
                    for (int j = 0; j < d; j++) {
                        plus[base + j] = model.wAvg[j] + psi * (plus[base + j] - model.wAvg[j]);
                    }
                }
            }
        }
        return FloatTensor.of(plus, n, copies, d);
    }

    /** w+ [n, L, D] -> 8-bit RGB, converted as the official code does: clamp(x * 127.5 + 128, 0, 255). */
    @Override
    public ImageBatch synthesize(FloatTensor wPlus) {
        ensureOpen();
        int n = rows("w+", wPlus, model.numWs, model.latentDim);
        int r = model.resolution;
        if (n == 0) {
            return new ImageBatch(0, r, r, new byte[0]);
        }
        float[] x = output(synthesis, model.synthesisInput, wPlus, model.synthesisOutput, n, 3 * r * r).data();
        byte[] rgb = new byte[n * r * r * 3];
        int plane = r * r;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) { // NCHW planes -> interleaved pixels
                    float v = x[(i * 3 + c) * plane + p] * 127.5f + 128f;
                    rgb[(i * plane + p) * 3 + c] = (byte) Math.min(255, Math.max(0, (int) v)); // NaN -> 0
                }
            }
        }
        return new ImageBatch(n, r, r, rgb);
    }

    @Override
    public FloatTensor fitLatents(FloatTensor z, FloatTensor w) {
        ensureOpen();
        FloatTensor chosen = layout.fitSpace().equals("w") ? w : z;
        rows(layout.fitSpace(), chosen, model.latentDim);
        return chosen;
    }

    @Override
    public ImageBatch render(FloatTensor fitLatents) {
        return synthesize(wPlus(fitLatents));
    }

    @Override
    public boolean hasGroundTruth() {
        return model.groundTruthOutput != null;
    }

    @Override
    public FloatTensor groundTruth(FloatTensor fitLatents) {
        if (!hasGroundTruth()) {
            return Backbone.super.groundTruth(fitLatents);
        }
        return factors(fitLatents, model.groundTruthOutput);
    }

    @Override
    public boolean hasNuisance() {
        return model.nuisanceOutput != null;
    }

    @Override
    public FloatTensor nuisance(FloatTensor fitLatents) {
        if (!hasNuisance()) {
            return Backbone.super.nuisance(fitLatents);
        }
        return factors(fitLatents, model.nuisanceOutput);
    }

    /** An extra synthesis output (true factors) of fit-space latents, [n, factors]. */
    private FloatTensor factors(FloatTensor fitLatents, String output) {
        FloatTensor plus = wPlus(fitLatents);
        FloatTensor truth = synthesis.run(Map.of(model.synthesisInput, plus)).get(output);
        int n = (int) plus.dim(0);
        return truth.reshape(n, n == 0 ? 0 : truth.data().length / n);
    }

    /** Fit-space latents [n, D] -> truncated w+ (through the mapping when the fit space is z). */
    private FloatTensor wPlus(FloatTensor fit) {
        ensureOpen();
        rows(layout.fitSpace() + "-space latents", fit, model.latentDim);
        return truncate(layout.fitSpace().equals("w") ? fit : map(fit));
    }

    /** Runs one graph and checks the output holds {@code item} values for each of the n samples. */
    private FloatTensor output(ModelSession session, String input, FloatTensor x, String output, int n, int item) {
        FloatTensor y = session.run(Map.of(input, x)).get(output);
        if (y == null || y.rank() == 0 || y.dim(0) != n || y.itemSize() != item) {
            throw new ExfaceganException("model " + session.file() + " returned " + (y == null ? "no '" + output + "'"
                    : "'" + output + "' of shape " + FloatTensor.shapeString(y.shape())) + " for " + n + " samples, expected "
                    + item + " values each (model descriptor " + model.file + ")");
        }
        return y;
    }

    /** The batch size of t after checking it is [n, item...]. */
    private int rows(String what, FloatTensor t, int... item) {
        long[] s = t.shape();
        boolean ok = s.length == item.length + 1;
        for (int i = 0; ok && i < item.length; i++) {
            ok = s[i + 1] == item[i];
        }
        if (!ok) {
            throw new ExfaceganException("gancontrol: " + what + " has shape " + FloatTensor.shapeString(s) + ", expected [n, "
                    + java.util.Arrays.toString(item).substring(1));
        }
        return (int) s[0];
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("gancontrol backbone " + model.file + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mapping.close();
        } finally {
            synthesis.close();
        }
    }
}
