package org.exfacegan.runner.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IndexRangesTest {
    @Test
    void rangesAndListsInTheOrderGiven() {
        assertArrayEquals(new long[] {0, 1, 2, 3}, IndexRanges.parse("0-3"));
        assertArrayEquals(new long[] {7}, IndexRanges.parse("7"));
        assertArrayEquals(new long[] {1, 4, 8, 9, 10, 2}, IndexRanges.parse("1, 4,8-10,2"));
        assertArrayEquals(new long[] {5, 5}, IndexRanges.parse("5,5-5"));
    }

    @Test
    void badListsSayWhatIsWrong() {
        assertMessage("", "empty list");
        assertMessage("5-2", "\"5-2\" runs backwards (write 2-5)");
        assertMessage("-3", "\"-3\" is not an index");
        assertMessage("1,,2", "\"\" is not an index");
        assertMessage("3-", "\"3-\" is not an index");
        assertMessage("a-b", "\"a-b\" is not an index");
        assertMessage("1.5", "\"1.5\" is not an index");
        assertMessage("99999999999999999999", "out of range");
        assertMessage("0-100000", "more than 100000 indices");
        assertMessage("0-50000,0-50000", "more than 100000 indices");
    }

    private static void assertMessage(String text, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IndexRanges.parse(text));
        assertTrue(e.getMessage().contains(part), text + ": " + e.getMessage());
    }
}
