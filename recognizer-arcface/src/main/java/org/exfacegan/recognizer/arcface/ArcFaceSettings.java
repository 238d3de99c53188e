package org.exfacegan.recognizer.arcface;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * The {@code options} of an arcface recogniser in a config. Every field is optional; the
 * defaults fit insightface models on FFHQ-aligned GAN output. Paths are resolved against the
 * directory of the recogniser model file (the host hands the plugin absolute model paths only).
 *
 * @param normalization  "MEAN/STD": a pixel value x (0-255) is fed as (x - MEAN) / STD; default "127.5/127.5"
 * @param channelOrder   "rgb" (default) or "bgr": channel order of the model input
 * @param flipFusion     embed the face and its mirror image, sum, normalise (default false)
 * @param embeddingSize  expected embedding length; checked against the model (default: what the model has)
 * @param output         name of the embedding output when the model has several (default: its only output)
 * @param landmarks      fixed (default: a known layout for FFHQ-aligned images) or detect ({@link Landmarks})
 * @param fixedPoints    for "fixed": 10 numbers x1,y1..x5,y5 as fractions of width/height replacing
 *                       the FFHQ layout (eyes, nose tip, mouth corners, image left to right)
 * @param detector       for "detect": RFB-320 face detector ONNX model
 * @param landmarkModel  for "detect": 68-point landmark ONNX model
 * @param minFaceScore   for "detect": smallest detector score accepted (default 0.65)
 * @param nmsIou         for "detect": boxes overlapping a better one by more IoU are dropped (default 0.4)
 * @param minFaceSize    for "detect": smallest face box side in pixels (default 16)
 * @param faceSelection  for "detect", which face of an image is embedded: "largest" (default) or "score"
 * @param landmarkPasses for "detect": landmark model runs per face, each re-centred on the points of
 *                       the last (default 2; 1 uses the detector box only)
 * @param antialias      average several bilinear samples per pixel when shrinking (default true)
 */
public record ArcFaceSettings(
        @JsonProperty("normalization") String normalization,
        @JsonProperty("channel_order") String channelOrder,
        @JsonProperty("flip_fusion") Boolean flipFusion,
        @JsonProperty("embedding_size") Integer embeddingSize,
        @JsonProperty("output") String output,
        @JsonProperty("landmarks") Landmarks landmarks,
        @JsonProperty("fixed_points") List<Double> fixedPoints,
        @JsonProperty("detector") String detector,
        @JsonProperty("landmark_model") String landmarkModel,
        @JsonProperty("min_face_score") Double minFaceScore,
        @JsonProperty("nms_iou") Double nmsIou,
        @JsonProperty("min_face_size") Integer minFaceSize,
        @JsonProperty("face_selection") String faceSelection,
        @JsonProperty("landmark_passes") Integer landmarkPasses,
        @JsonProperty("antialias") Boolean antialias) {

    public ArcFaceSettings {
        normalization = normalization == null ? "127.5/127.5" : normalization.trim();
        parseNormalization(normalization);
        channelOrder = oneOf("channel_order", channelOrder, "rgb", "rgb", "bgr");
        flipFusion = flipFusion != null && flipFusion;
        if (embeddingSize != null && embeddingSize < 1) {
            throw new IllegalArgumentException("embedding_size must be >= 1, got " + embeddingSize);
        }
        landmarks = landmarks == null ? Landmarks.FIXED : landmarks;
        if (fixedPoints != null) {
            if (fixedPoints.size() != 10) {
                throw new IllegalArgumentException("fixed_points must hold 10 numbers (x,y of 5 points), got " + fixedPoints.size());
            }
            fixedPoints = List.copyOf(fixedPoints);
        }
        if (landmarks == Landmarks.DETECT && (detector == null || landmarkModel == null)) {
            throw new IllegalArgumentException("landmarks \"detect\" needs both \"detector\" and \"landmark_model\" (ONNX files)");
        }
        minFaceScore = minFaceScore == null ? 0.65 : minFaceScore;
        if (!(minFaceScore >= 0 && minFaceScore <= 1)) {
            throw new IllegalArgumentException("min_face_score must be in [0, 1], got " + minFaceScore);
        }
        nmsIou = nmsIou == null ? 0.4 : nmsIou;
        if (!(nmsIou > 0 && nmsIou <= 1)) {
            throw new IllegalArgumentException("nms_iou must be in (0, 1], got " + nmsIou);
        }
        minFaceSize = minFaceSize == null ? 16 : minFaceSize;
        if (minFaceSize < 1) {
            throw new IllegalArgumentException("min_face_size must be >= 1, got " + minFaceSize);
        }
        faceSelection = oneOf("face_selection", faceSelection, "largest", "largest", "score");
        landmarkPasses = landmarkPasses == null ? 2 : landmarkPasses;
        if (landmarkPasses < 1 || landmarkPasses > 5) {
            throw new IllegalArgumentException("landmark_passes must be 1 to 5, got " + landmarkPasses);
        }
        antialias = antialias == null || antialias;
    }

    /** All defaults: fixed FFHQ landmarks, (x-127.5)/127.5, RGB. */
    public static ArcFaceSettings defaults() {
        return new ArcFaceSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Defaults with detected landmarks. */
    public static ArcFaceSettings detect(String detector, String landmarkModel) {
        return new ArcFaceSettings(null, null, null, null, null, Landmarks.DETECT, null, detector, landmarkModel,
                null, null, null, null, null, null);
    }

    public ArcFaceSettings withNormalization(String value) {
        return new ArcFaceSettings(value, channelOrder, flipFusion, embeddingSize, output, landmarks, fixedPoints,
                detector, landmarkModel, minFaceScore, nmsIou, minFaceSize, faceSelection, landmarkPasses, antialias);
    }

    public ArcFaceSettings withChannelOrder(String value) {
        return new ArcFaceSettings(normalization, value, flipFusion, embeddingSize, output, landmarks, fixedPoints,
                detector, landmarkModel, minFaceScore, nmsIou, minFaceSize, faceSelection, landmarkPasses, antialias);
    }

    public ArcFaceSettings withFlipFusion(boolean value) {
        return new ArcFaceSettings(normalization, channelOrder, value, embeddingSize, output, landmarks, fixedPoints,
                detector, landmarkModel, minFaceScore, nmsIou, minFaceSize, faceSelection, landmarkPasses, antialias);
    }

    public ArcFaceSettings withEmbeddingSize(Integer value) {
        return new ArcFaceSettings(normalization, channelOrder, flipFusion, value, output, landmarks, fixedPoints,
                detector, landmarkModel, minFaceScore, nmsIou, minFaceSize, faceSelection, landmarkPasses, antialias);
    }

    public ArcFaceSettings withFixedPoints(List<Double> value) {
        return new ArcFaceSettings(normalization, channelOrder, flipFusion, embeddingSize, output, landmarks, value,
                detector, landmarkModel, minFaceScore, nmsIou, minFaceSize, faceSelection, landmarkPasses, antialias);
    }

    /** The MEAN of "MEAN/STD". */
    public float mean() {
        return parseNormalization(normalization)[0];
    }

    /** The STD of "MEAN/STD". */
    public float std() {
        return parseNormalization(normalization)[1];
    }

    public boolean bgr() {
        return channelOrder.equals("bgr");
    }

    private static float[] parseNormalization(String text) {
        String[] parts = text.split("/");
        try {
            if (parts.length == 2) {
                float mean = Float.parseFloat(parts[0].trim());
                float std = Float.parseFloat(parts[1].trim());
                if (Float.isFinite(mean) && std > 0 && Float.isFinite(std)) {
                    return new float[] {mean, std};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("normalization must be \"MEAN/STD\" with STD > 0 (input = (x - MEAN) / STD for"
                + " pixels x in 0-255), e.g. \"127.5/127.5\" or \"127.5/128\"; got \"" + text + "\"");
    }

    private static String oneOf(String field, String value, String fallback, String... allowed) {
        if (value == null) {
            return fallback;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + "; got \"" + value + "\"");
    }
}
