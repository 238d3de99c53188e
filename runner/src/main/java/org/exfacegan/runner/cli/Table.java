package org.exfacegan.runner.cli;

import java.io.PrintWriter;
import java.util.List;

/** Left-aligned text table; the last column is not padded. */
final class Table {
    private Table() {}

    static void print(PrintWriter out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                b.append(c == cols - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
