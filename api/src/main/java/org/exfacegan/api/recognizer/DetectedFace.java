package org.exfacegan.api.recognizer;

/**
 * One face found in an image, with its embedding.
 *
 * @param box       x1, y1, x2, y2 in pixels of the image (the whole image when landmarks are fixed)
 * @param score     detector confidence in [0, 1] (1 when landmarks are fixed)
 * @param landmarks x,y of the 5 alignment points (eyes, nose tip, mouth corners; image left to right)
 * @param vector    L2-normalised embedding
 */
public record DetectedFace(float[] box, float score, float[] landmarks, float[] vector) {}
