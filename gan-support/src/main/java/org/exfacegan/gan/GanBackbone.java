package org.exfacegan.gan;

import java.util.Arrays;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.backbone.Backbone;
import org.exfacegan.api.backbone.LatentLayout;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.tensor.FloatTensor;

/**
 * What the style-based GAN plugins share: a generator run as a mapping and a synthesis graph
 * ({@link GanGraphs}), z drawn per (seed, index), w broadcast to the synthesis's num_ws copies and
 * truncated toward the mean w on the first {@code cutoff} copies, images converted to 8-bit RGB.
 * Each plugin subclasses it with what is particular to its architecture: the latent shapes and
 * means it passes in, the inputs its synthesis takes besides w+ (noise buffers, an input
 * transform), and for other latent layouts the w arithmetic ({@link #broadcast}, {@link #firstCopies},
 * {@link #truncateInPlace}).
 */
public abstract class GanBackbone implements Backbone {
    private final GanModel model;
    private final GanShapes shapes;
    private final GanGraphs graphs;
    private final LatentLayout layout;
    private final float[] wAvg;
    private final double psi;
    private final int cutoff;
    private final Map<String, FloatTensor> constantInputs;
    private volatile boolean closed;

    /**
     * Opens both graphs through the host.
     *
     * @param wAvg           the mean w, of the shape of w, flattened
     * @param psi            truncation psi (1 = none)
     * @param cutoff         number of leading w copies truncated (>= num_ws: all)
     * @param fitSpace       "w" or "z"
     * @param constantInputs inputs the synthesis takes besides w+, each without a batch dimension and
     *                       the same for every sample (StyleGAN2 noise buffers, a StyleGAN3 input transform)
     */
    protected GanBackbone(PluginContext context, GanModel model, GanShapes shapes, float[] wAvg, double psi, int cutoff,
            String fitSpace, Map<String, FloatTensor> constantInputs) {
        checkOptions(psi, cutoff, fitSpace);
        if (wAvg.length != shapes.wSize()) {
            throw new IllegalArgumentException("w_avg has " + wAvg.length + " values, w has " + shapes.wSize());
        }
        this.model = model;
        this.shapes = shapes;
        this.wAvg = wAvg.clone();
        this.psi = psi;
        this.cutoff = cutoff;
        this.constantInputs = Map.copyOf(constantInputs);
        this.layout = new LatentLayout(shapes.z(), shapes.w(), shapes.numWs(), fitSpace, model.resolution());
        this.graphs = new GanGraphs(context, model, shapes, this.constantInputs);
    }

    /** Validates backbone options; the messages name the config option. */
    public static void checkOptions(double psi, int cutoff, String latentSpace) {
        if (!Double.isFinite(psi)) {
            throw new IllegalArgumentException("truncation_psi must be a finite number, got " + psi);
        }
        if (cutoff < 0) {
            throw new IllegalArgumentException("truncation_cutoff must be >= 0, got " + cutoff);
        }
        if (!"w".equals(latentSpace) && !"z".equals(latentSpace)) {
            throw new IllegalArgumentException("latent_space must be \"w\" or \"z\", got \"" + latentSpace + "\"");
        }
    }

    /** The StyleGAN layout: z [z_dim], w [w_dim], w+ [num_ws, w_dim]; refused when a latent is absurdly large. */
    public static GanShapes plainShapes(GanModel model) {
        return checkSize(model, new GanShapes(new int[] {model.zDim()}, new int[] {model.wDim()}, model.numWs()), "/num_ws");
    }

    /** Refuses shapes whose w+ or z x num_ws exceeds {@link GanModel#MAX_LATENT_ELEMENTS}, naming {@code pointer}. */
    public static GanShapes checkSize(GanModel model, GanShapes shapes, String pointer) {
        long elements = Math.max(shapes.wPlusSize(), (long) shapes.zSize() * shapes.numWs());
        if (elements > GanModel.MAX_LATENT_ELEMENTS) {
            throw model.error(pointer, "a latent of " + elements + " elements (w+ " + Arrays.toString(shapes.wPlus())
                    + ", z " + Arrays.toString(shapes.z()) + ") exceeds the limit of " + GanModel.MAX_LATENT_ELEMENTS);
        }
        return shapes;
    }

    /** The descriptor's w_avg, which must have exactly the shape of w. */
    public static float[] meanW(GanModel model, GanShapes shapes) {
        FloatTensor t = model.wAvg(shapes.wSize());
        long[] expected = Arrays.stream(shapes.w()).asLongStream().toArray();
        if (!Arrays.equals(t.shape(), expected)) {
            throw model.error("/w_avg", "expected shape " + FloatTensor.shapeString(expected) + ", got "
                    + FloatTensor.shapeString(t.shape()));
        }
        return t.data();
    }

    public GanModel model() {
        return model;
    }

    public double truncationPsi() {
        return psi;
    }

    public int truncationCutoff() {
        return cutoff;
    }

    /** Name of the runtime running the graphs. */
    public String runtime() {
        return graphs.runtime();
    }

    @Override
    public LatentLayout layout() {
        return layout;
    }

    @Override
    public FloatTensor sampleZ(long seed, long firstIndex, int count) {
        ensureOpen();
        return new FloatTensor(GanShapes.batch(count, shapes.z()), Latents.normal(seed, firstIndex, count, shapes.zSize()));
    }

    @Override
    public FloatTensor map(FloatTensor z) {
        ensureOpen();
        int n = checkShape("z", z, shapes.z());
        long[] w = GanShapes.batch(n, shapes.w());
        if (n == 0) {
            return new FloatTensor(w, new float[0]);
        }
        FloatTensor out = graphs.map(z, constantInputs);
        if (Arrays.equals(out.shape(), w)) {
            return out;
        }
        // the official mapping broadcasts w to num_ws copies; before truncation they are all the same
        return new FloatTensor(w, firstCopies(out.data(), n));
    }

    /** w [n, w...] is broadcast to w+ (w+ [n, w+...] is copied), then truncated ({@link #truncateInPlace}). */
    @Override
    public FloatTensor truncate(FloatTensor w) {
        ensureOpen();
        int[] wShape = shapes.w();
        float[] plus;
        int n;
        if (w.rank() == wShape.length + 1) {
            n = checkShape("w", w, wShape);
            plus = broadcast(w.data(), n);
        } else {
            n = checkShape("w+", w, shapes.wPlus());
            plus = w.data().clone();
        }
        truncateInPlace(plus, n);
        return new FloatTensor(GanShapes.batch(n, shapes.wPlus()), plus);
    }

    /** w [n, D] -> w+ [n, L, D]; layouts with other latents override it. */
    protected float[] broadcast(float[] w, int n) {
        return Latents.broadcast(w, n, shapes.numWs(), shapes.wDim());
    }

    /** The mapping's broadcast w+ [n, L, D] -> w [n, D]; layouts with other latents override it. */
    protected float[] firstCopies(float[] wPlus, int n) {
        return Latents.firstCopies(wPlus, n, shapes.numWs(), shapes.wDim());
    }

    /** The first {@code cutoff} copies of w+ [n, L, D] toward w_avg; layouts with other latents override it. */
    protected void truncateInPlace(float[] wPlus, int n) {
        Latents.truncate(wPlus, n, shapes.numWs(), shapes.wDim(), wAvg, psi, cutoff);
    }

    /** The mean w the descriptor gave, flattened (a copy). */
    protected float[] wAvg() {
        return wAvg.clone();
    }

    public GanShapes shapes() {
        return shapes;
    }

    @Override
    public ImageBatch synthesize(FloatTensor wPlus) {
        ensureOpen();
        int n = checkShape("w+", wPlus, shapes.wPlus());
        int r = model.resolution();
        if (n == 0) {
            return new ImageBatch(0, r, r, new byte[0]);
        }
        FloatTensor img = graphs.synthesize(wPlus, constantInputs);
        return Images.toRgb8(img, model.nhwc(), model.bgr(), model.rangeLow(), model.rangeHigh());
    }

    @Override
    public FloatTensor fitLatents(FloatTensor z, FloatTensor w) {
        ensureOpen();
        boolean inW = layout.fitSpace().equals("w");
        int n = checkShape(layout.fitSpace(), inW ? w : z, inW ? shapes.w() : shapes.z());
        return (inW ? w : z).reshape(n, layout.fitDim());
    }

    @Override
    public ImageBatch render(FloatTensor fitLatents) {
        return synthesize(wPlusOf(fitLatents));
    }

    @Override
    public boolean hasGroundTruth() {
        return model.groundTruthOutput() != null;
    }

    @Override
    public FloatTensor groundTruth(FloatTensor fitLatents) {
        if (!hasGroundTruth()) {
            return Backbone.super.groundTruth(fitLatents);
        }
        return graphs.groundTruth(wPlusOf(fitLatents), constantInputs);
    }

    @Override
    public boolean hasNuisance() {
        return model.nuisanceOutput() != null;
    }

    @Override
    public FloatTensor nuisance(FloatTensor fitLatents) {
        if (!hasNuisance()) {
            return Backbone.super.nuisance(fitLatents);
        }
        return graphs.nuisance(wPlusOf(fitLatents), constantInputs);
    }

    /** Fit-space latents -> truncated w+ (mapping first when the fit space is z). */
    private FloatTensor wPlusOf(FloatTensor fit) {
        ensureOpen();
        long[] s = fit.shape();
        if (s.length != 2 || s[1] != layout.fitDim()) {
            throw new ExfaceganException("fit-space latents have shape " + FloatTensor.shapeString(s) + ", expected [n, "
                    + layout.fitDim() + "] (" + layout.fitSpace() + " space of " + model.backbone() + ")");
        }
        int n = (int) s[0];
        FloatTensor w = layout.fitSpace().equals("w") ? fit.reshape(GanShapes.batch(n, shapes.w()))
                : map(fit.reshape(GanShapes.batch(n, shapes.z())));
        return truncate(w);
    }

    /** Batch size of t after checking it is [n, item...]. */
    private int checkShape(String what, FloatTensor t, int[] item) {
        long[] s = t.shape();
        boolean ok = s.length == item.length + 1;
        for (int i = 0; ok && i < item.length; i++) {
            ok = s[i + 1] == item[i];
        }
        if (!ok) {
            throw new ExfaceganException(model.backbone() + ": " + what + " has shape " + FloatTensor.shapeString(s)
                    + ", expected [n, " + Arrays.toString(item).substring(1));
        }
        return (int) s[0];
    }

    protected void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(model.backbone() + " backbone " + model.file() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        graphs.close();
    }
}
