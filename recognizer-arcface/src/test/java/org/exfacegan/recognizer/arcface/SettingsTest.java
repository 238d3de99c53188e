package org.exfacegan.recognizer.arcface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.exfacegan.runner.io.Json;
import org.junit.jupiter.api.Test;

class SettingsTest {
    // the host's own mapper for provider options: snake_case, unknown fields are errors, no coercion
    private final ObjectMapper json = Json.MAPPER;

    @Test
    void defaults() throws Exception {
        ArcFaceSettings s = json.readValue("{}", ArcFaceSettings.class);
        assertEquals(127.5f, s.mean());
        assertEquals(127.5f, s.std());
        assertFalse(s.bgr());
        assertFalse(s.flipFusion());
        assertEquals(Landmarks.FIXED, s.landmarks());
        assertEquals(0.65, s.minFaceScore());
        assertEquals("largest", s.faceSelection());
        assertTrue(s.antialias());
        assertEquals(s, ArcFaceSettings.defaults());
    }

    @Test
    void bindsSnakeCaseOptions() throws Exception {
        ArcFaceSettings s = json.readValue("""
                {"normalization": "127/128", "channel_order": "BGR", "flip_fusion": true, "embedding_size": 512,
                 "landmarks": "detect", "detector": "fr_detect.onnx", "landmark_model": "fr_landmark.onnx",
                 "min_face_score": 0.8, "face_selection": "score"}""", ArcFaceSettings.class);
        assertEquals(127f, s.mean());
        assertEquals(128f, s.std());
        assertTrue(s.bgr());
        assertTrue(s.flipFusion());
        assertEquals(512, s.embeddingSize());
        assertEquals("fr_landmark.onnx", s.landmarkModel());
        assertEquals(0.8, s.minFaceScore());
        assertEquals("score", s.faceSelection());
    }

    @Test
    void rejectsUnknownAndBadValues() {
        assertThrows(UnrecognizedPropertyException.class, () -> json.readValue("{\"flipfusion\": true}", ArcFaceSettings.class));
        Exception e = assertThrows(Exception.class, () -> json.readValue("{\"normalization\": \"x/0\"}", ArcFaceSettings.class));
        assertTrue(e.getMessage().contains("MEAN/STD"), e.getMessage());
        e = assertThrows(Exception.class, () -> json.readValue("{\"landmarks\": \"detect\"}", ArcFaceSettings.class));
        assertTrue(e.getMessage().contains("landmark_model"), e.getMessage());
        e = assertThrows(Exception.class, () -> json.readValue("{\"channel_order\": \"rbg\"}", ArcFaceSettings.class));
        assertTrue(e.getMessage().contains("channel_order"), e.getMessage());
        e = assertThrows(Exception.class, () -> json.readValue("{\"fixed_points\": [1, 2]}", ArcFaceSettings.class));
        assertTrue(e.getMessage().contains("fixed_points"), e.getMessage());
    }
}
