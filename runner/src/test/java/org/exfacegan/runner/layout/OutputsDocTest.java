package org.exfacegan.runner.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/outputs.md describes every name a run, a comparison and an export write: none is added without a word. */
class OutputsDocTest {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyLayoutNameIsDescribedInTheOutputsPage() throws IOException {
        List<List<String>> spans = codeSpans(Files.readString(root().resolve("docs/outputs.md")));
        List<String> missing = new ArrayList<>();
        int names = 0;
        for (Class<?> layout : List.of(RunLayout.class, CompareLayout.class, ExportLayout.class)) {
            for (String name : names(layout)) {
                names++;
                if (!described(spans, name)) {
                    missing.add(layout.getSimpleName() + ": " + name);
                }
            }
        }
        assertTrue(names >= 40, "found only " + names + " names");
        assertEquals(List.of(), missing, "names docs/outputs.md does not describe (in `code`, as a path or a path's part)");
    }

    @Test
    void aNameOnlyMentionedInsideAnotherWordDoesNotCount() {
        List<List<String>> spans = codeSpans("`images_full/<identity>` and `meta/x.sha256`");
        assertTrue(described(spans, "images_full"));
        assertTrue(!described(spans, "images"), "images is only part of images_full");
        assertTrue(!described(spans, "run.json"));
    }

    /** The public String constants of a layout class: its file and folder names. */
    private static List<String> names(Class<?> layout) {
        List<String> out = new ArrayList<>();
        for (Field f : layout.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    out.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    /** Each `code span` of the page as path components. */
    private static List<List<String>> codeSpans(String page) {
        List<List<String>> out = new ArrayList<>();
        Matcher m = CODE.matcher(page);
        while (m.find()) {
            for (String word : m.group(1).split("[\\s,]+")) {
                out.add(Arrays.asList(word.split("/")));
            }
        }
        return out;
    }

    /** Whether a span holds the name's path components in a row ("probe/DONE" in `probe/DONE`, "z.npy" in `probe/z.npy`). */
    private static boolean described(List<List<String>> spans, String name) {
        List<String> parts = Arrays.asList(name.split("/"));
        return spans.stream().anyMatch(s -> Collections.indexOfSubList(s, parts) >= 0);
    }

    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
