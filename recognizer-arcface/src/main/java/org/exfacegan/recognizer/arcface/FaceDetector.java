package org.exfacegan.recognizer.arcface;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.exfacegan.api.image.ImageBatch;
import org.exfacegan.api.runtime.ModelHost;
import org.exfacegan.api.runtime.ModelOptions;
import org.exfacegan.api.runtime.ModelSession;
import org.exfacegan.api.tensor.FloatTensor;
import org.exfacegan.api.tensor.TensorSpec;

/**
 * Finds faces and their 5 alignment points: an RFB-320 detector (the whole image scaled to
 * 320x240, RGB, (x - 127) / 128, as faceplugin's fr_detect.js feeds it; outputs {@code scores}
 * [1, 4420, 2] and {@code boxes} [1, 4420, 4] already decoded to 0-1 corners), non-maximum
 * suppression, then a 68-point landmark model on the square box (grey / 256 at 64x64, output
 * [1, 136] as fractions of the box) reduced to the 5 points.
 */
final class FaceDetector implements AutoCloseable {
    static final int DET_W = 320;
    static final int DET_H = 240;
    static final int LM_SIZE = 64;

    /** A face: box x1,y1,x2,y2 and the 68 and 5 points, all in image pixel-centre coordinates. */
    record Face(float[] box, float score, float[] points68, float[] points5) {
        double area() {
            return (double) (box[2] - box[0]) * (box[3] - box[1]);
        }
    }

    private final ModelSession detector;
    private final ModelSession landmarks;
    private final ArcFaceSettings settings;

    FaceDetector(ModelHost host, Path detectorFile, Path landmarkFile, ModelOptions options, ArcFaceSettings settings) {
        this.settings = settings;
        ModelSession det = host.open(detectorFile, options);
        ModelSession lm = null;
        try {
            det.expect(List.of(new TensorSpec("input", new long[] {-1, 3, DET_H, DET_W})),
                    List.of(new TensorSpec("scores", new long[] {-1, -1, 2}), new TensorSpec("boxes", new long[] {-1, -1, 4})));
            lm = host.open(landmarkFile, options);
            lm.expect(List.of(new TensorSpec("input", new long[] {-1, 1, LM_SIZE, LM_SIZE})),
                    List.of(new TensorSpec("output", new long[] {-1, 136})));
        } catch (RuntimeException e) {
            if (lm != null) {
                lm.close();
            }
            det.close();
            throw e;
        }
        this.detector = det;
        this.landmarks = lm;
    }

    /** Faces of image {@code index}, best score first. */
    List<Face> detect(ImageBatch images, int index) {
        int w = images.width();
        int h = images.height();
        float[] small = Warp.resize(images, index, 0, 0, w, h, DET_W, DET_H, settings.antialias());
        float[] input = new float[3 * DET_H * DET_W];
        int plane = DET_H * DET_W;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                input[c * plane + p] = (Math.round(small[p * 3 + c]) - 127f) / 128f;
            }
        }
        Map<String, FloatTensor> out = detector.run(Map.of("input", FloatTensor.of(input, 1, 3, DET_H, DET_W)));
        float[] scores = out.get("scores").data();
        float[] boxes = out.get("boxes").data();
        int n = scores.length / 2;
        List<float[]> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float s = scores[2 * i + 1];
            if (s >= settings.minFaceScore()) {
                candidates.add(new float[] {boxes[4 * i] * w, boxes[4 * i + 1] * h, boxes[4 * i + 2] * w, boxes[4 * i + 3] * h, s});
            }
        }
        List<float[]> kept = new ArrayList<>();
        for (float[] b : nms(candidates, settings.nmsIou())) {
            if (Math.min(b[2] - b[0], b[3] - b[1]) >= settings.minFaceSize()) {
                kept.add(b);
            }
        }
        List<Face> faces = landmarks(images, index, kept);
        for (int pass = 1; pass < settings.landmarkPasses(); pass++) {
            faces = refine(images, index, faces);
        }
        return faces;
    }

    /**
     * Runs the landmark model again on a square of the same side centred on the points found, so
     * the crop follows the face rather than the detector box: a box that moves by 4% of its side
     * moved the points of a turned face by 7 px in the 112 px crop; the second pass halves that.
     */
    private List<Face> refine(ImageBatch images, int index, List<Face> faces) {
        List<float[]> boxes = new ArrayList<>();
        for (Face f : faces) {
            float[] p = f.points68();
            float minX = Float.POSITIVE_INFINITY;
            float minY = Float.POSITIVE_INFINITY;
            float maxX = Float.NEGATIVE_INFINITY;
            float maxY = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < 68; i++) {
                minX = Math.min(minX, p[2 * i]);
                maxX = Math.max(maxX, p[2 * i]);
                minY = Math.min(minY, p[2 * i + 1]);
                maxY = Math.max(maxY, p[2 * i + 1]);
            }
            float half = (f.box()[3] - f.box()[1]) / 2;
            float cx = (minX + maxX) / 2;
            float cy = (minY + maxY) / 2;
            boxes.add(new float[] {cx - half, cy - half, cx + half, cy + half, f.score()});
        }
        List<Face> refined = landmarks(images, index, boxes);
        List<Face> out = new ArrayList<>();
        for (int k = 0; k < faces.size(); k++) {
            Face r = refined.get(k);
            // the reported box stays the detector's
            out.add(new Face(faces.get(k).box(), r.score(), r.points68(), r.points5()));
        }
        return out;
    }

    /** Greedy non-maximum suppression by IoU, best score first. */
    static List<float[]> nms(List<float[]> boxes, double iouLimit) {
        List<float[]> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble((float[] b) -> b[4]).reversed());
        List<float[]> kept = new ArrayList<>();
        for (float[] b : sorted) {
            boolean keep = true;
            for (float[] k : kept) {
                if (iou(b, k) > iouLimit) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                kept.add(b);
            }
        }
        return kept;
    }

    static double iou(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return inter / union;
    }

    /** Runs the landmark model on the squares of all boxes of one image in one batch. */
    private List<Face> landmarks(ImageBatch images, int index, List<float[]> boxes) {
        List<Face> faces = new ArrayList<>();
        if (boxes.isEmpty()) {
            return faces;
        }
        int plane = LM_SIZE * LM_SIZE;
        int n = boxes.size();
        float[] grey = new float[n * plane];
        double[][] squares = new double[n][];
        for (int f = 0; f < n; f++) {
            float[] b = boxes.get(f);
            // a square of the box's height around its centre, as fr_landmark.js crops it
            double side = b[3] - b[1];
            squares[f] = new double[] {(b[0] + b[2]) / 2.0 - side / 2, b[1], side};
            float[] crop = Warp.resize(images, index, squares[f][0], squares[f][1], side, side, LM_SIZE, LM_SIZE,
                    settings.antialias());
            for (int p = 0; p < plane; p++) {
                double g = 0.299 * crop[3 * p] + 0.587 * crop[3 * p + 1] + 0.114 * crop[3 * p + 2];
                grey[f * plane + p] = Math.round(g) / 256f;
            }
        }
        float[] rel = landmarks.run(Map.of("input", FloatTensor.of(grey, n, 1, LM_SIZE, LM_SIZE)))
                .get("output").data();
        for (int f = 0; f < n; f++) {
            float[] b = boxes.get(f);
            double[] sq = squares[f];
            float[] pts = new float[136];
            for (int i = 0; i < 68; i++) {
                pts[2 * i] = (float) (sq[0] + rel[136 * f + 2 * i] * sq[2] - 0.5);
                pts[2 * i + 1] = (float) (sq[1] + rel[136 * f + 2 * i + 1] * sq[2] - 0.5);
            }
            faces.add(new Face(new float[] {b[0], b[1], b[2], b[3]}, b[4], pts, fivePoints(pts)));
        }
        return faces;
    }

    /**
     * 68 -> 5 points: eye centres are the means of the 6 eye contour points (36-41, 42-47), the
     * nose tip is point 30, mouth corners are the outer lip corners 48 and 54 (the points the FFHQ
     * recipe uses too).
     */
    static float[] fivePoints(float[] p68) {
        float[] out = new float[10];
        for (int e = 0; e < 2; e++) {
            double x = 0;
            double y = 0;
            for (int i = 36 + 6 * e; i < 42 + 6 * e; i++) {
                x += p68[2 * i];
                y += p68[2 * i + 1];
            }
            out[2 * e] = (float) (x / 6);
            out[2 * e + 1] = (float) (y / 6);
        }
        out[4] = p68[60];
        out[5] = p68[61];
        out[6] = p68[96];
        out[7] = p68[97];
        out[8] = p68[108];
        out[9] = p68[109];
        return out;
    }

    @Override
    public void close() {
        try {
            landmarks.close();
        } finally {
            detector.close();
        }
    }
}
