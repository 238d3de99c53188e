package org.exfacegan.recognizer.arcface;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real face-recognition model and photos the real-model tests use (DESIGN.md section 4),
 * downloaded with {@code npm pack} into the cache on first use: faceplugin-face-recognition-js
 * 0.0.1 ({@code fr_feature.onnx}, {@code fr_detect.onnx}, {@code fr_landmark.onnx}, kept together
 * in {@code modelDir}) and @vladmandic/face-api 1.7.15's {@code demo/sample1-6.jpg}.
 */
record RealFaceFiles(Path modelDir, List<Path> photos) {
    /** The recogniser model; the detector and landmark model lie beside it. */
    Path feature() {
        return modelDir.resolve("fr_feature.onnx");
    }

    /** @throws org.opentest4j.TestAbortedException when the npm registry cannot be reached */
    static RealFaceFiles download() {
        Path fr = NpmCache.tarball("faceplugin-face-recognition-js", "0.0.1");
        Path fa = NpmCache.tarball("@vladmandic/face-api", "1.7.15");
        Path dir = NpmCache.root().resolve("extracted");
        Map<String, Path> models = new LinkedHashMap<>();
        for (String m : List.of("fr_feature.onnx", "fr_detect.onnx", "fr_landmark.onnx")) {
            models.put("package/model/" + m, dir.resolve("faceplugin").resolve(m));
        }
        NpmCache.extract(fr, models);
        Map<String, Path> samples = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            samples.put("package/demo/sample" + i + ".jpg", dir.resolve("face-api").resolve("sample" + i + ".jpg"));
        }
        NpmCache.extract(fa, samples);
        return new RealFaceFiles(dir.resolve("faceplugin"), new ArrayList<>(samples.values()));
    }
}
