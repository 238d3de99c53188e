package org.exfacegan.runner.render;

import java.util.ArrayList;
import java.util.List;

/** Lists of indices as NVlabs' gen_images.py takes seeds: "0-15", "3", "1,4,8-10" (inclusive ranges, in the order given). */
public final class IndexRanges {
    /** Most indices one list may name: a typo such as "0-1000000" should not start a day of rendering. */
    public static final int MAX = 100_000;

    private IndexRanges() {}

    /** The indices, in order; IllegalArgumentException says what is wrong with {@code text}. */
    public static long[] parse(String text) {
        List<Long> out = new ArrayList<>();
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty list; write e.g. 0-15 or 1,4,8-10");
        }
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-', 1); // a leading '-' is a sign, refused below
            long from = number(p.substring(0, dash < 0 ? p.length() : dash), p);
            long to = dash < 0 ? from : number(p.substring(dash + 1), p);
            if (to < from) {
                throw new IllegalArgumentException("\"" + p + "\" runs backwards (write " + to + "-" + from + ")");
            }
            if (to - from >= MAX - out.size()) {
                throw new IllegalArgumentException("more than " + MAX + " indices");
            }
            for (long i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long number(String s, String part) {
        String t = s.strip();
        if (t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + part + "\" is not an index or a range of indices (a-b, both >= 0)");
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + part + "\" is out of range");
        }
    }
}
