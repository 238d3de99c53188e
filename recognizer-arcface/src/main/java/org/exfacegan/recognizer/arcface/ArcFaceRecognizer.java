package org.exfacegan.recognizer.arcface;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.recognizer.DetectedFace;
import org.exfacegan.api.recognizer.Embeddings;
import org.exfacegan.api.recognizer.Recognizer;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * An ArcFace-protocol recogniser: faces aligned to the 112x112 template, fed as NCHW with the
 * configured normalisation and channel order, embeddings L2-normalised (optionally the sum of
 * the face's and its mirror image's embeddings).
 */
final class ArcFaceRecognizer implements Recognizer {
    /** Crops handed to the host per call; it splits them further into its batch size. */
    private static final int CHUNK = 256;

    /** A face located in an image, before embedding; points68 is null for fixed landmarks. */
    record Located(float[] box, float score, float[] landmarks, float[] points68, byte[] crop) {}

    private final ArcFaceSettings settings;
    private final ModelSession session;
    private final FaceDetector detector;
    private final String input;
    private final String output;
    private final int size;
    private volatile boolean closed;
    /**
     * The warp of the fixed landmarks for the last image size seen (null: none yet, or too large to
     * plan): a memo of a pure function of the size, replaced whole, so concurrent calls stay correct.
     */
    private volatile Warp.Plan fixedPlan;

    private ArcFaceRecognizer(ArcFaceSettings settings, ModelSession session, FaceDetector detector, String input,
            String output, int size) {
        this.settings = settings;
        this.session = session;
        this.detector = detector;
        this.input = input;
        this.output = output;
        this.size = size;
    }

    static ArcFaceRecognizer open(PluginContext context) {
        ArcFaceSettings settings = context.settings() == null ? ArcFaceSettings.defaults()
                : context.settings(ArcFaceSettings.class);
        Path model = context.model();
        ModelSession session = context.models().open(model, context.options());
        FaceDetector detector = null;
        try {
            String input = checkInput(session);
            String output = pickOutput(session, settings.output());
            int size = embeddingSize(session, input, output, settings.embeddingSize());
            if (settings.landmarks().equals(ArcFaceSettings.DETECT)) {
                Path dir = model.toAbsolutePath().getParent();
                detector = new FaceDetector(context.models(), dir.resolve(settings.detector()),
                        dir.resolve(settings.landmarkModel()), context.options(), settings);
            }
            return new ArcFaceRecognizer(settings, session, detector, input, output, size);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static String checkInput(ModelSession session) {
        List<TensorSpec> inputs = session.inputs();
        if (inputs.size() != 1) {
            throw new ExfaceganException("recogniser model " + session.file() + " has inputs " + inputs
                    + "; an ArcFace-protocol model has one input [?, 3, 112, 112]");
        }
        TensorSpec in = inputs.get(0);
        if (!new TensorSpec(in.name(), new long[] {-1, 3, FaceTemplate.SIZE, FaceTemplate.SIZE}).accepts(in.shape())) {
            throw new ExfaceganException("recogniser model " + session.file() + ": input '" + in.name() + "' has shape "
                    + FloatTensor.shapeString(in.shape()) + ", expected [?, 3, 112, 112] (aligned 112x112 RGB crops, NCHW)");
        }
        return in.name();
    }

    private static String pickOutput(ModelSession session, String wanted) {
        List<TensorSpec> outputs = session.outputs();
        if (wanted != null) {
            for (TensorSpec t : outputs) {
                if (t.name().equals(wanted)) {
                    return wanted;
                }
            }
            throw new ExfaceganException("recogniser model " + session.file() + " has no output '" + wanted
                    + "' (options.output); its outputs are " + outputs);
        }
        if (outputs.size() != 1) {
            throw new ExfaceganException("recogniser model " + session.file() + " has outputs " + outputs
                    + "; name the embedding one in options.output");
        }
        return outputs.get(0).name();
    }

    /** The embedding length: the model's output dimension, probed with one blank crop when dynamic. */
    private static int embeddingSize(ModelSession session, String input, String output, Integer expected) {
        TensorSpec out = session.outputs().stream().filter(t -> t.name().equals(output)).findFirst().orElseThrow();
        long[] shape = out.shape();
        if (shape.length != 2) {
            throw new ExfaceganException("recogniser model " + session.file() + ": output '" + output + "' has shape "
                    + FloatTensor.shapeString(shape) + ", expected [?, D] (one embedding per image)");
        }
        long d = shape[1];
        if (d < 0) {
            float[] blank = new float[3 * FaceTemplate.SIZE * FaceTemplate.SIZE];
            FloatTensor probe = session.run(Map.of(input, FloatTensor.of(blank, 1, 3, FaceTemplate.SIZE, FaceTemplate.SIZE)))
                    .get(output);
            if (probe.rank() != 2 || probe.dim(0) != 1) {
                throw new ExfaceganException("recogniser model " + session.file() + ": output '" + output
                        + "' gave shape " + FloatTensor.shapeString(probe.shape()) + " for one image, expected [1, D]");
            }
            d = probe.dim(1);
        }
        if (expected != null && d != expected) {
            throw new ExfaceganException("recogniser model " + session.file() + ": output '" + output + "' has "
                    + d + " values per image but options.embedding_size is " + expected);
        }
        return (int) d;
    }

    @Override
    public int embeddingSize() {
        check();
        return size;
    }

    /** Embeds the face chosen in each image; the crops it embedded come back with the embeddings. */
    @Override
    public Embeddings embed(ImageBatch images) {
        check();
        int n = images.count();
        int item = FaceTemplate.SIZE * FaceTemplate.SIZE * 3;
        byte[] cropBytes = new byte[n * item]; // black where no face was found
        List<byte[]> crops = new ArrayList<>();
        String[] rejected = new String[n];
        for (int i = 0; i < n; i++) {
            Located face = chosen(images, i);
            if (face == null) {
                rejected[i] = noFace();
            } else {
                crops.add(face.crop());
                System.arraycopy(face.crop(), 0, cropBytes, i * item, item);
            }
        }
        float[][] vectors = embedCrops(crops);
        float[][] rows = new float[n][];
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (rejected[i] == null) {
                rows[i] = vectors[next++];
            }
        }
        return new Embeddings(rows, rejected, new ImageBatch(n, FaceTemplate.SIZE, FaceTemplate.SIZE, cropBytes));
    }

    /** The crops are already on the template: fed to the model as they are. */
    @Override
    public Embeddings embedAligned(ImageBatch crops) {
        check();
        if (crops.width() != FaceTemplate.SIZE || crops.height() != FaceTemplate.SIZE) {
            throw new ExfaceganException("aligned crops must be " + FaceTemplate.SIZE + "x" + FaceTemplate.SIZE
                    + " (the crops embed() returns), got " + crops.width() + "x" + crops.height());
        }
        int item = crops.imageBytes();
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < crops.count(); i++) {
            byte[] one = new byte[item];
            System.arraycopy(crops.rgb(), i * item, one, 0, item);
            list.add(one);
        }
        return new Embeddings(embedCrops(list), new String[crops.count()], crops);
    }

    private String noFace() {
        return "no face found: no detector box with score >= " + settings.minFaceScore() + " and side >= "
                + settings.minFaceSize() + " px";
    }

    /** The face of image i that embed() uses (largest or best-scoring), null when none was found. */
    private Located chosen(ImageBatch images, int i) {
        List<Located> faces = locate(images, i);
        if (faces.isEmpty()) {
            return null;
        }
        Located chosen = faces.get(0);
        if (settings.faceSelection().equals("largest")) {
            for (Located f : faces) {
                if (area(f.box()) > area(chosen.box())) {
                    chosen = f;
                }
            }
        }
        return chosen;
    }

    @Override
    public List<List<DetectedFace>> embedFaces(ImageBatch images) {
        check();
        List<List<Located>> located = new ArrayList<>();
        List<byte[]> crops = new ArrayList<>();
        for (int i = 0; i < images.count(); i++) {
            List<Located> faces = locate(images, i);
            located.add(faces);
            faces.forEach(f -> crops.add(f.crop()));
        }
        float[][] vectors = embedCrops(crops);
        List<List<DetectedFace>> out = new ArrayList<>();
        int next = 0;
        for (List<Located> faces : located) {
            List<DetectedFace> list = new ArrayList<>();
            for (Located f : faces) {
                list.add(new DetectedFace(f.box(), f.score(), f.landmarks(), vectors[next++]));
            }
            out.add(list);
        }
        return out;
    }

    /** The faces of image i with their aligned crops: one fixed face, or every detected face (best score first). */
    List<Located> locate(ImageBatch images, int i) {
        check();
        List<Located> out = new ArrayList<>();
        if (detector == null) {
            float[] lm = FaceTemplate.fixedPoints(images.width(), images.height(), settings.fixedPoints());
            out.add(new Located(new float[] {0, 0, images.width(), images.height()}, 1f, lm, null, alignFixed(images, i, lm)));
        } else {
            for (FaceDetector.Face f : detector.detect(images, i)) {
                out.add(new Located(f.box(), f.score(), f.points5(), f.points68(),
                        FaceTemplate.align(images, i, f.points5(), settings.antialias())));
            }
        }
        return out;
    }

    /** Fixed landmarks warp every image of a size alike: the warp is planned once per size. */
    private byte[] alignFixed(ImageBatch images, int i, float[] landmarks) {
        Warp.Plan plan = fixedPlan;
        if (plan == null || !plan.fits(images)) {
            plan = Warp.Plan.of(images.width(), images.height(), FaceTemplate.toArcFace(landmarks).inverse().matrix(),
                    FaceTemplate.SIZE, FaceTemplate.SIZE, settings.antialias());
            if (plan == null) {
                return FaceTemplate.align(images, i, landmarks, settings.antialias());
            }
            fixedPlan = plan;
        }
        return plan.applyBytes(images, i);
    }

    /** Embeds aligned 112x112 RGB crops (interleaved bytes). */
    float[][] embedCrops(List<byte[]> crops) {
        check();
        float[][] out = new float[crops.size()][];
        int copies = settings.flipFusion() ? 2 : 1;
        int item = 3 * FaceTemplate.SIZE * FaceTemplate.SIZE;
        for (int from = 0; from < crops.size(); from += CHUNK) {
            int to = Math.min(crops.size(), from + CHUNK);
            int m = to - from;
            float[] data = new float[m * copies * item];
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < copies; c++) {
                    Preprocess.toNchw(crops.get(from + j), c == 1, settings.mean(), settings.std(), settings.bgr(),
                            data, (j * copies + c) * item);
                }
            }
            FloatTensor result = session.run(Map.of(input,
                    FloatTensor.of(data, (long) m * copies, 3, FaceTemplate.SIZE, FaceTemplate.SIZE))).get(output);
            if (result == null || result.rank() != 2 || result.dim(0) != (long) m * copies || result.dim(1) != size) {
                throw new ExfaceganException("recogniser model " + session.file() + ": output '" + output + "' gave "
                        + (result == null ? "nothing" : FloatTensor.shapeString(result.shape())) + " for " + m * copies
                        + " crops, expected [" + m * copies + ", " + size + "]");
            }
            float[] r = result.data();
            for (int j = 0; j < m; j++) {
                float[] v = new float[size];
                for (int c = 0; c < copies; c++) {
                    int off = (j * copies + c) * size;
                    for (int k = 0; k < size; k++) {
                        v[k] += r[off + k];
                    }
                }
                out[from + j] = Preprocess.l2Normalize(v, session.file());
            }
        }
        return out;
    }

    private static double area(float[] box) {
        return (double) (box[2] - box[0]) * (box[3] - box[1]);
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the arcface recogniser is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (detector != null) {
                detector.close();
            }
        } finally {
            session.close();
        }
    }
}
