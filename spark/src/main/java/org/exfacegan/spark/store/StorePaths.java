package org.exfacegan.spark.store;

import java.util.UUID;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.runner.layout.RunLayout;

/**
 * Checks the relative paths a store is given: '/'-separated names under the store's root. The
 * runner makes these names itself; the checks make sure a wrong one can never write outside the
 * root or collide with the store's own temporaries (names starting with '.').
 */
public final class StorePaths {
    private StorePaths() {}

    public static String check(String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new ExfaceganException("refusing store path \"" + printable(path) + "\": " + problem);
        }
        return path;
    }

    /** A single name inside a folder (no '/'). */
    static String checkName(String name) {
        check(name);
        if (name.indexOf('/') >= 0) {
            throw new ExfaceganException("refusing file name \"" + printable(name) + "\": a name inside a folder has no '/'");
        }
        return name;
    }

    /**
     * A fresh temporary for {@code path}: in the run's own temporaries folder
     * ({@value RunLayout#TEMPORARIES}, as the runner's {@code RunFolder} keeps them) under the same
     * root, so the rename into place stays on one file system; a random part keeps a task's and its
     * duplicate's apart. Nothing outside that folder is ever a temporary. The name starts with '.':
     * a staging folder that a rename onto a folder already there moved inside it (HDFS, Hadoop's
     * local file system) stays hidden from readers and racing duplicates until it is removed.
     */
    static String temporary(String path) {
        return RunLayout.TEMPORARIES + "/." + UUID.randomUUID().toString().substring(0, 8) + "-" + path.replace('/', '_');
    }

    static String join(String dir, String name) {
        return dir + "/" + name;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether {@code path} is {@code dir} or lies under it. */
    static boolean within(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    private static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "it is empty";
        }
        if (path.length() > 1024) {
            return "it is longer than 1024 characters";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "it has an empty segment (leading, trailing or double '/')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'.' and '..' are not allowed";
            }
            if (segment.startsWith(".")) {
                return "names starting with '.' are the store's temporaries";
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                    return "it contains a control character, '\\' or ':'";
                }
            }
        }
        return null;
    }

    private static String printable(String path) {
        if (path == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        path.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return path.length() > 200 ? b + "..." : b.toString();
    }
}
