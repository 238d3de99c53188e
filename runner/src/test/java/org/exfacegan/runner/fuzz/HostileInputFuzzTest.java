package org.exfacegan.runner.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.exfacegan.api.ExfaceganException;
import org.exfacegan.api.PluginContext;
import org.exfacegan.gan.GanBackbone;
import org.exfacegan.gan.GanDescriptor;
import org.exfacegan.gan.GanModel;
import org.exfacegan.npy.Npy;
import org.exfacegan.npy.NpyException;
import org.exfacegan.runner.config.ConfigException;
import org.exfacegan.runner.config.ConfigLoader;
import org.exfacegan.runner.config.PluginJson;
import org.exfacegan.runner.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded, bounded fuzzing of every parser that reads user files: the experiment config, the model
 * descriptor (and its JSON reader), and both .npy readers. Each case must either parse or fail with
 * our own exception; nothing else may escape, and no case may allocate more than a fixed budget
 * (a hostile size field must be refused before anything is allocated for it).
 * {@code -Dexfacegan.fuzzCases=N} changes the cases per parser, {@code -Dexfacegan.fuzzSeed} the seed.
 */
class HostileInputFuzzTest {
    static final int CASES = Integer.getInteger("exfacegan.fuzzCases", 3000);
    static final long SEED = Long.getLong("exfacegan.fuzzSeed", 20261128L);
    /** Per case; the largest valid input here is well under 1 MiB. */
    static final long ALLOCATION_BUDGET = 64L << 20;

    @TempDir
    Path dir;

    /** Values put in place of any field: wrong types, huge and odd numbers, hostile strings, deep nesting. */
    static final List<String> HOSTILE = List.of("null", "\"\"", "-1", "0", "1", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890123456789",
            "1e400", "-1e400", "1e-400", "1.5", "-0", "0.0", "true", "false", "[]", "{}", "[1, 2]", "{\"a\": 1}",
            "\"x\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"../../../../etc/passwd\"", "\"/\"", "\"..\"", "\"\\ud800\"",
            "\"cuda:99999999999999999999\"", "\"" + "a".repeat(100_000) + "\"", "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000), "[".repeat(70) + "1" + "]".repeat(70),
            "[" + "1,".repeat(20_000) + "1]", "\"\u0663\"", "\u0663", "1\u0663", "-\u0663", "NaN", "Infinity", "\"NaN\"", "1" + "0".repeat(2000));

    /** Outcome counts and failures of one parser's fuzzing. */
    static final class Report {
        final String parser;
        int cases;
        int parsed;
        int refused;
        long maxAllocated;
        final List<String> failures = new ArrayList<>();
        /** Distinct escapes by exception type and throwing frame, one example input each. */
        final java.util.Map<String, String> kinds = new java.util.TreeMap<>();

        Report(String parser) {
            this.parser = parser;
        }

        void check() {
            System.out.printf("fuzz %-22s %5d cases: %5d parsed, %5d refused with our error, %d escaped; max %.1f MiB allocated per case%n",
                    parser, cases, parsed, refused, failures.size(), maxAllocated / 1048576.0);
            StringBuilder b = new StringBuilder();
            kinds.forEach((k, v) -> b.append("\n  ").append(k).append("\n    e.g. ").append(v));
            assertTrue(failures.isEmpty(), parser + ": " + failures.size() + " cases escaped, " + kinds.size() + " kinds:" + b);
        }
    }

    /** Runs one case; {@code ours} is the exception type the parser may throw. */
    static void attempt(Report r, Class<? extends RuntimeException> ours, byte[] input, Runnable parse) {
        r.cases++;
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        try {
            parse.run();
            r.parsed++;
        } catch (RuntimeException | Error e) { // OutOfMemoryError and StackOverflowError included
            if (ours.isInstance(e) && e.getMessage() != null && !e.getMessage().isBlank()) {
                r.refused++;
            } else if (e instanceof ExfaceganException) {
                r.failures.add(show(input) + " -> " + e.getClass().getName() + ": " + e.getMessage());
            } else {
                r.failures.add(show(input) + " -> " + e);
                StackTraceElement at = java.util.Arrays.stream(e.getStackTrace())
                        .filter(f -> f.getClassName().startsWith("org.exfacegan")).findFirst().orElse(null);
                r.kinds.putIfAbsent(e.getClass().getName() + " at " + at, show(input) + " -> " + e.getMessage());
            }
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        r.maxAllocated = Math.max(r.maxAllocated, allocated);
        if (allocated > ALLOCATION_BUDGET + 16L * input.length) {
            r.failures.add(show(input) + " -> allocated " + allocated + " bytes");
        }
    }

    private static String show(byte[] input) {
        String s = new String(input, 0, Math.min(input.length, 160), StandardCharsets.ISO_8859_1)
                .replaceAll("[^\\x20-\\x7e]", "?");
        return "[" + input.length + " bytes] " + s;
    }

    // ------------------------------------------------------------------ mutations

    /** A hostile variant of a valid JSON document. */
    static byte[] mutateJson(String valid, SplittableRandom rnd) {
        int kind = rnd.nextInt(10);
        return switch (kind) {
            case 0, 1, 2 -> replaceValue(valid, rnd).getBytes(StandardCharsets.UTF_8);
            case 3 -> addOrRemoveField(valid, rnd).getBytes(StandardCharsets.UTF_8);
            case 4 -> {
                byte[] b = valid.getBytes(StandardCharsets.UTF_8);
                yield java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncation
            }
            case 5 -> randomBytes(rnd, rnd.nextInt(1024));
            case 6 -> {
                // nesting far beyond any sane depth around the whole document
                int depth = 1 + rnd.nextInt(20_000);
                yield ("[".repeat(depth) + valid + "]".repeat(rnd.nextBoolean() ? depth : depth / 2)).getBytes(StandardCharsets.UTF_8);
            }
            default -> flipBytes(valid.getBytes(StandardCharsets.UTF_8), rnd);
        };
    }

    static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    /** Random byte flips, insertions, deletions and duplications. */
    static byte[] flipBytes(byte[] valid, SplittableRandom rnd) {
        List<Byte> b = new ArrayList<>(valid.length + 16);
        for (byte v : valid) {
            b.add(v);
        }
        int edits = 1 + rnd.nextInt(6);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int at = rnd.nextInt(b.size());
            switch (rnd.nextInt(4)) {
                case 0 -> b.set(at, (byte) rnd.nextInt(256));
                case 1 -> b.add(at, (byte) rnd.nextInt(256));
                case 2 -> b.subList(at, Math.min(b.size(), at + 1 + rnd.nextInt(8))).clear();
                default -> b.addAll(at, new ArrayList<>(b.subList(at, Math.min(b.size(), at + 1 + rnd.nextInt(16)))));
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }

    private static final String MARK = "\"@@HOSTILE@@\"";

    /** One value somewhere in the tree replaced by a hostile one (raw text, so 1e400 stays 1e400). */
    static String replaceValue(String valid, SplittableRandom rnd) {
        JsonNode tree = tree(valid);
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        JsonNode c = containers.get(rnd.nextInt(containers.size()));
        if (c instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            o.put(names.get(rnd.nextInt(names.size())), "@@HOSTILE@@");
        } else if (c instanceof ArrayNode a && a.size() > 0) {
            a.set(rnd.nextInt(a.size()), a.textNode("@@HOSTILE@@"));
        }
        return tree.toString().replace(MARK, HOSTILE.get(rnd.nextInt(HOSTILE.size())));
    }

    /** Every field and array element of {@code valid} replaced, in turn, by every hostile value. */
    static List<byte[]> everyFieldEveryValue(String valid) {
        List<byte[]> out = new ArrayList<>();
        int places = 0;
        List<JsonNode> containers = new ArrayList<>();
        collect(tree(valid), containers);
        for (int c = 0; c < containers.size(); c++) {
            places += containers.get(c).size();
        }
        for (int place = 0; place < places; place++) {
            for (String value : HOSTILE) {
                JsonNode t = tree(valid);
                List<JsonNode> cs = new ArrayList<>();
                collect(t, cs);
                int k = place;
                for (JsonNode c : cs) {
                    if (k < c.size()) {
                        if (c instanceof ObjectNode o) {
                            List<String> names = new ArrayList<>();
                            o.fieldNames().forEachRemaining(names::add);
                            o.put(names.get(k), "@@HOSTILE@@");
                        } else {
                            ((ArrayNode) c).set(k, ((ArrayNode) c).textNode("@@HOSTILE@@"));
                        }
                        break;
                    }
                    k -= c.size();
                }
                out.add(t.toString().replace(MARK, value).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String addOrRemoveField(String valid, SplittableRandom rnd) {
        JsonNode tree = tree(valid);
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        List<ObjectNode> objects = containers.stream().filter(n -> n instanceof ObjectNode).map(n -> (ObjectNode) n).toList();
        ObjectNode o = objects.get(rnd.nextInt(objects.size()));
        if (rnd.nextBoolean() && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            o.remove(names.get(rnd.nextInt(names.size())));
            return tree.toString();
        }
        String[] odd = {"x", "", "\u0000", "../x", "Seed", "seed ", "a".repeat(5000)};
        o.put(odd[rnd.nextInt(odd.length)], "@@HOSTILE@@");
        return tree.toString().replace(MARK, HOSTILE.get(rnd.nextInt(HOSTILE.size())));
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.elements().forEachRemaining(c -> collect(c, out));
        }
    }

    private static JsonNode tree(String json) {
        try {
            return ConfigLoader.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the config

    static final String CONFIG = """
            {"name": "fuzz", "seed": 7, "output": "out",
             "backbone": {"type": "test-gan", "model": "gan.json", "batch_size": 4, "device": "cpu", "threads": 1,
                          "options": {"truncation_psi": 0.7, "truncation_cutoff": 8}},
             "recognizer": {"type": "tiny-face", "model": "face.onnx", "options": {"reject_all": false}},
             "probes": 100, "identities": 10, "samples_per_identity": 5, "uniqueness": 0.5,
             "labels": {"rule": "median", "train_fraction": 0.7},
             "fitter": {"type": "svm", "c": 1.0},
             "sampling": {"mode": "directional", "distance_min": 1, "distance_max": 3, "sigma": 0.5},
             "dataset": {"full_resolution": false, "contact_sheet": 4}}
            """;

    @Test
    void configParser() throws IOException {
        Files.writeString(dir.resolve("gan.json"), "{}");
        Files.writeString(dir.resolve("face.onnx"), "x");
        ConfigLoader loader = new ConfigLoader(PluginRegistry.load(dir.resolve("no-plugins")));
        Path file = dir.resolve("config.json");
        Files.writeString(file, CONFIG);
        loader.load(file); // the base is valid
        Report r = new Report("config");
        Report rec = new Report("recognizer section");
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<byte[]> inputs = new ArrayList<>(everyFieldEveryValue(CONFIG));
        for (int i = 0; i < CASES; i++) {
            inputs.add(mutateJson(CONFIG, rnd));
        }
        for (byte[] input : inputs) {
            Files.write(file, input);
            attempt(r, ConfigException.class, input, () -> loader.load(file));
            attempt(rec, ConfigException.class, input, () -> loader.loadRecognizer(file)); // embed and verify read this
        }
        r.check();
        rec.check();
        assertTrue(r.parsed > 0 && r.refused > r.cases / 2, "the mutations reach both outcomes");
    }

    // ------------------------------------------------------------------ the model descriptor

    static final String DESCRIPTOR = """
            {"format_version": 1, "backbone": "stylegan2", "format": "onnx", "z_dim": 4, "w_dim": 4, "num_ws": 3,
             "resolution": 16, "output_range": [-1, 1], "channel_order": "RGB", "image_layout": "NCHW",
             "w_avg": [0.5, -0.25, 0, 1e-3],
             "mapping": {"input": "z", "output": "w", "onnx": {"file": "m.onnx"}},
             "synthesis": {"onnx": {"file": "s.onnx", "static_batch": 2, "external_data": "s.onnx.data"},
                           "torchscript": {"file": "s.pt"}},
             "source": {"note": "fuzz"}}
            """;

    static final String DESCRIPTOR_COMPONENTS = """
            {"format_version": 1, "backbone": "gansformer", "z_dim": 2, "w_dim": 2, "num_ws": 2, "components": 3,
             "resolution": 8, "w_avg": "w_avg.npy",
             "mapping": {"onnx": {"file": "m.onnx"}}, "synthesis": {"onnx": {"file": "s.onnx"}}}
            """;

    /** A descriptor read as the GAN plugins read it: bound by the host (PluginJson), checked by gan-support. */
    static void readDescriptor(Path file, boolean components) {
        PluginContext context = new PluginContext(file, null, null, null, PluginJson.READER);
        GanModel model = GanModel.read(context, components ? "gansformer" : "stylegan2",
                components ? Set.of(GanModel.ArchitectureField.COMPONENTS) : Set.of());
        if (components) {
            model.wAvg(1L << 20);
        } else {
            GanBackbone.meanW(model, GanBackbone.plainShapes(model));
        }
    }

    @Test
    void modelDescriptorParser() throws IOException {
        for (String f : List.of("m.onnx", "s.onnx", "s.onnx.data", "s.pt")) {
            Files.writeString(dir.resolve(f), "x");
        }
        Npy.write(dir.resolve("w_avg.npy"), new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Path file = dir.resolve("descriptor.json");
        Report r = new Report("model descriptor");
        Report json = new Report("descriptor JSON binding");
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        Files.writeString(file, DESCRIPTOR);
        readDescriptor(file, false); // the bases are valid
        Files.writeString(file, DESCRIPTOR_COMPONENTS);
        readDescriptor(file, true);
        List<byte[]> systematic = new ArrayList<>(everyFieldEveryValue(DESCRIPTOR));
        int plain = systematic.size();
        systematic.addAll(everyFieldEveryValue(DESCRIPTOR_COMPONENTS));
        for (int i = 0; i < systematic.size() + CASES; i++) {
            boolean components = i < systematic.size() ? i >= plain : rnd.nextInt(3) == 0;
            String base = components ? DESCRIPTOR_COMPONENTS : DESCRIPTOR;
            byte[] input = i < systematic.size() ? systematic.get(i) : mutateJson(base, rnd);
            Files.write(file, input);
            attempt(r, ExfaceganException.class, input, () -> readDescriptor(file, components));
            attempt(json, ExfaceganException.class, input, () -> PluginJson.READER.read(file, GanDescriptor.class, "fuzz"));
        }
        r.check();
        json.check();
        assertTrue(r.parsed > 0 && r.refused > r.cases / 2, "the mutations reach both outcomes");
    }

    /** Sizes a hostile descriptor may ask for are refused before anything is allocated for them. */
    @Test
    void descriptorDimensionLimits() throws IOException {
        for (String f : List.of("m.onnx", "s.onnx", "s.onnx.data", "s.pt")) {
            Files.writeString(dir.resolve(f), "x");
        }
        Path file = dir.resolve("descriptor.json");
        Files.writeString(file, DESCRIPTOR.replace("\"z_dim\": 4", "\"z_dim\": 65537"));
        ExfaceganException e = org.junit.jupiter.api.Assertions.assertThrows(ExfaceganException.class,
                () -> readDescriptor(file, false));
        org.junit.jupiter.api.Assertions.assertEquals("model descriptor " + file + ": /z_dim: expected an integer >= 1 and <= 65536, got 65537",
                e.getMessage());
        Files.writeString(file, DESCRIPTOR.replace("\"w_dim\": 4", "\"w_dim\": 65536").replace("\"num_ws\": 3", "\"num_ws\": 1024"));
        e = org.junit.jupiter.api.Assertions.assertThrows(ExfaceganException.class, () -> readDescriptor(file, false));
        org.junit.jupiter.api.Assertions.assertEquals("model descriptor " + file + ": /num_ws: a latent of 67108864 elements "
                + "(w+ [1024, 65536], z [4]) exceeds the limit of 4194304", e.getMessage());
        Files.writeString(file, DESCRIPTOR.replace("\"w_avg\": [0.5, -0.25, 0, 1e-3]", "\"w_avg\": \"w_avg.npy\""));
        Npy.write(dir.resolve("w_avg.npy"), new float[1 << 16], 1 << 16);
        e = org.junit.jupiter.api.Assertions.assertThrows(ExfaceganException.class, () -> readDescriptor(file, false));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("model descriptor " + file + ": /w_avg: invalid .npy file ")
                && e.getMessage().contains("more than the 4 expected"), e.getMessage());
    }

    // ------------------------------------------------------------------ .npy readers

    /** Valid .npy files of every dtype the readers know, as numpy writes them. */
    static List<byte[]> npyBases() {
        return List.of(
                Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6})),
                Npy.toBytes(new Npy.Array(Npy.DType.FLOAT64, new long[] {4}, new double[] {1, -2, 3.5, 0})),
                Npy.toBytes(new Npy.Array(Npy.DType.INT64, new long[] {2, 1}, new long[] {7, -7})),
                Npy.toBytes(new Npy.Array(Npy.DType.INT32, new long[] {}, new int[] {42})),
                Npy.toBytes(new Npy.Array(Npy.DType.BOOL, new long[] {5}, new boolean[] {true, false, true, true, false})),
                Npy.toBytes(new Npy.Array(Npy.DType.FLOAT32, new long[] {0, 3}, new float[0])));
    }

    static final List<String> HOSTILE_SHAPES = List.of("()", "(,)", "(-1,)", "(-5, 2)", "(2, -3)", "(99999999999999999999,)",
            "(9223372036854775807,)", "(9223372036854775807, 9223372036854775807)", "(4294967296, 4294967296)",
            "(2147483647,)", "(1073741824,)", "(65536, 65536)", "(3037000500, 3037000500)", "(1e3,)", "(0x10,)",
            "(" + "1, ".repeat(100) + "1)", "(" + "2, ".repeat(40) + "2)", "(3 2)", "(3,,2)", "([3], 2)", "('3', 2)",
            "(\u0663,)", "(3, 2", "3, 2)", "(" + "9".repeat(500) + ",)", "(0, 9223372036854775807)");

    static final List<String> HOSTILE_DESCRS = List.of("'<f4'", "'>f4'", "'<f2'", "'|u1'", "'<U10'", "'O'", "'<f8'",
            "'|b1'", "''", "'<i8'", "'<c16'", "4", "'" + "x".repeat(3000) + "'");

    static byte[] mutateNpy(byte[] valid, SplittableRandom rnd) {
        int kind = rnd.nextInt(9);
        switch (kind) {
            case 0 -> {
                return java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length + 1)); // truncation
            }
            case 1 -> {
                return randomBytes(rnd, rnd.nextInt(300));
            }
            case 2 -> { // magic kept, random rest
                byte[] b = randomBytes(rnd, 10 + rnd.nextInt(200));
                System.arraycopy(valid, 0, b, 0, 8);
                return b;
            }
            case 3, 4 -> {
                return withHeader(valid, h -> h.replaceFirst("'shape': \\([^)]*\\)",
                        java.util.regex.Matcher.quoteReplacement("'shape': " + HOSTILE_SHAPES.get(rnd.nextInt(HOSTILE_SHAPES.size())))),
                        rnd);
            }
            case 5 -> {
                return withHeader(valid, h -> h.replaceFirst("'descr': '[^']*'",
                        java.util.regex.Matcher.quoteReplacement("'descr': " + HOSTILE_DESCRS.get(rnd.nextInt(HOSTILE_DESCRS.size())))),
                        rnd);
            }
            case 6 -> { // header length field and version bytes
                byte[] b = valid.clone();
                ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                switch (rnd.nextInt(4)) {
                    case 0 -> buf.putShort(8, (short) rnd.nextInt(65536));
                    case 1 -> b[6] = (byte) rnd.nextInt(5);
                    case 2 -> {
                        b[6] = 2;
                        buf.putShort(8, (short) rnd.nextInt(65536));
                    }
                    default -> b[7] = (byte) rnd.nextInt(3);
                }
                return b;
            }
            default -> {
                return flipBytes(valid, rnd);
            }
        }
    }

    /** Rewrites the header text, fixing up the length field (and sometimes the format version to 2.0 or 3.0). */
    static byte[] withHeader(byte[] valid, java.util.function.UnaryOperator<String> edit, SplittableRandom rnd) {
        int hlen = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF;
        String header = new String(valid, 10, hlen, StandardCharsets.ISO_8859_1);
        byte[] text = edit.apply(header).getBytes(StandardCharsets.ISO_8859_1);
        byte[] data = java.util.Arrays.copyOfRange(valid, 10 + hlen, valid.length);
        int version = text.length > 0xFFFF || rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : 1;
        int prefix = version == 1 ? 10 : 12;
        ByteBuffer out = ByteBuffer.allocate(prefix + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(valid, 0, 6).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) text.length);
        } else {
            out.putInt(text.length);
        }
        return out.put(text).put(data).array();
    }

    @Test
    void npyReaders() throws IOException {
        Path file = dir.resolve("a.npy");
        Report host = new Report("npy");
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        List<byte[]> bases = npyBases();
        for (int i = 0; i < CASES; i++) {
            byte[] input = mutateNpy(bases.get(rnd.nextInt(bases.size())), rnd);
            Files.write(file, input);
            attempt(host, NpyException.class, input, () -> Npy.read(file));
        }
        host.check();
        assertTrue(host.parsed > 0 && host.refused > CASES / 2, "the mutations reach both outcomes");
    }
}
