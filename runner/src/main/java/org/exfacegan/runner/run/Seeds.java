package org.exfacegan.runner.run;

import java.nio.charset.StandardCharsets;

/** Independent sub-seeds for each random purpose of a run, all derived from the config's seed. */
public final class Seeds {
    private Seeds() {}

    /** A seed for {@code purpose} (e.g. "probe", "samples"), stable across versions. */
    public static long derive(long seed, String purpose) {
        long h = seed;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return mix(h);
    }

    /** SplitMix64 finaliser: a bijective mix of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
