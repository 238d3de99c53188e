package org.exfacegan.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.exfacegan.api.backbone.SubLatent;
import org.exfacegan.runner.pipeline.fit.Boundaries;
import org.junit.jupiter.api.Test;

class SubLatentShareTest {
    @Test
    void meanShareOfTheSquaredLengthPerSubLatent() {
        // normal 0 lies in "id"; normal 1 is (0, 0, 0.6, 0.8): 0.36 in "pose", 0.64 in "other"
        float[] normals = {1, 0, 0, 0, 0, 0, 0.6f, 0.8f};
        Boundaries b = new Boundaries(2, 4, normals, new float[2], new float[2], new float[2]);
        List<SubLatent> parts = List.of(new SubLatent("id", 0, 2), new SubLatent("pose", 2, 3), new SubLatent("other", 3, 4));
        Map<String, Double> share = SubLatentShare.of(b, parts);
        assertEquals(List.of("id", "pose", "other"), List.copyOf(share.keySet()), "layout order");
        assertEquals(0.5, share.get("id"), 1e-12);
        assertEquals(0.18, share.get("pose"), 1e-7);
        assertEquals(0.32, share.get("other"), 1e-7);
        // a normal that is not unit length counts by its share, not its size
        Boundaries scaled = new Boundaries(1, 4, new float[] {3, 4, 0, 0}, new float[1], new float[1], new float[1]);
        assertEquals(1.0, SubLatentShare.of(scaled, parts).get("id"), 1e-12);
        assertNull(SubLatentShare.of(b, List.of()), "backbones without sub-latents report none");
    }
}
