package org.exfacegan.spark.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** A stand-in for one identity's outputs, as the runner publishes them, with bytes that depend only on (seed, index). */
public final class ToyIdentity {
    private ToyIdentity() {}

    public static String unit(int index) {
        return "identities/" + String.format("%05d", index);
    }

    /** Its own image folder, then metadata and a reference crop beside other identities'. */
    public static Publication of(int index, int images, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        Map<String, byte[]> pngs = new TreeMap<>();
        for (int i = 0; i < images; i++) {
            byte[] png = new byte[100 + random.nextInt(400)];
            random.nextBytes(png);
            pngs.put(String.format("%04d.png", i), png);
        }
        String name = String.format("%05d", index);
        return Publication.named(unit(index))
                .folder("images/" + name, pngs)
                .file("meta/" + name + ".jsonl", ("{\"identity\":" + index + "}\n").getBytes(StandardCharsets.UTF_8))
                .file("references/" + name + ".png", new byte[] {(byte) index, 1, 2, 3})
                .build();
    }
}
